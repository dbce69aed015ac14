package io.synergysched.simulator.trace;

import java.nio.file.Path;

/** A trace line that cannot be read; the message names the file, the line and the reason. */
public final class TraceFormatException extends IllegalArgumentException {

  private final transient Path file;
  private final long line;

  public TraceFormatException(Path file, long line, String reason) {
    super(file + ": line " + line + ": " + reason);
    this.file = file;
    this.line = line;
  }

  public Path file() {
    return file;
  }

  /** 1-based line number in the file (the header is line 1 for CSV files). */
  public long line() {
    return line;
  }
}
