package io.synergysched.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, drawn only on a terminal and only once the work has taken
 * a couple of seconds, so short runs and piped output stay clean.
 */
final class TerminalProgressBar implements AutoCloseable {

  private static final long SHOW_AFTER_NANOS = 2_000_000_000L;
  private static final long REDRAW_NANOS = 200_000_000L;
  private static final int WIDTH = 30;

  private final String title;
  private final PrintStream out = System.err;
  private final boolean terminal = System.console() != null;
  private final long start = System.nanoTime();
  private long lastDraw;
  private boolean drawn;

  TerminalProgressBar(String title) {
    this.title = title;
  }

  void update(String what, double fraction) {
    long now = System.nanoTime();
    if (!terminal || now - start < SHOW_AFTER_NANOS || now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    drawn = true;
    double f = Math.max(0, Math.min(1, fraction));
    int filled = (int) Math.round(f * WIDTH);
    double elapsed = (now - start) / 1e9;
    String eta = f > 0.01 ? String.format(Locale.ROOT, "%.0fs left", elapsed * (1 - f) / f) : "";
    out.printf(Locale.ROOT, "\r%s [%s%s] %3.0f%% %s %-40s", title, "=".repeat(filled),
        " ".repeat(WIDTH - filled), f * 100, eta, what);
    out.flush();
  }

  @Override
  public void close() {
    if (drawn) {
      out.println();
    }
  }
}
