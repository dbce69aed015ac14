package io.synergysched.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The demo's report: a Markdown table of the runs side by side and latency CDF plots. */
final class DemoReport {

  private DemoReport() {}

  /** Writes {@code report.md}, {@code ttft-cdf.png} and {@code tpot-cdf.png} to {@code out}. */
  static Path write(Path out, String title, List<DemoResult> runs, int sloTtftMs, int sloTpotMs)
      throws IOException {
    Files.createDirectories(out);
    StringBuilder md = new StringBuilder();
    md.append("# ").append(title).append("\n\n");
    md.append(String.format(Locale.ROOT,
        "SLO: TTFT %d ms, TPOT %d ms. Attainment counts every request sent: shed, rejected and"
            + " unfinished requests are misses. Goodput proxy: requests within both targets per"
            + " second of trace.%n%n", sloTtftMs, sloTpotMs));
    md.append(table(runs));
    for (DemoResult run : runs) {
      md.append("\n## ").append(run.policy()).append(": engines at the end\n\n");
      md.append("| engine | routed | running | waiting | last step ms | predicted ms | model MAPE"
          + " | SLO attainment |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
      for (DemoResult.EngineRow r : run.engines()) {
        md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.1f | %.1f | %.1f%% | %.1f%% |%n",
            r.engineId(), r.routed(), r.running(), r.waiting(), r.lastStepMs(), r.predictedStepMs(),
            100 * r.modelMape(), 100 * r.sloAttainment()));
      }
    }
    md.append("\n![TTFT CDF](ttft-cdf.png)\n\n![TPOT CDF](tpot-cdf.png)\n");
    Files.writeString(out.resolve("report.md"), md);
    plot(out.resolve("ttft-cdf.png"), "TTFT", runs, true, sloTtftMs);
    plot(out.resolve("tpot-cdf.png"), "TPOT", runs, false, sloTpotMs);
    return out.resolve("report.md");
  }

  /** The runs side by side, as Markdown. */
  static String table(List<DemoResult> runs) {
    StringBuilder md = new StringBuilder();
    md.append("| policy | sent | finished | shed | rejected | SLO attainment | goodput req/s |"
        + " TTFT p50 / p99 ms | TPOT p50 / p99 ms | output tok/s |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (DemoResult r : runs) {
      md.append(String.format(Locale.ROOT,
          "| %s | %d | %d | %d | %d | %.1f%% | %.2f | %.0f / %.0f | %.1f / %.1f | %.0f |%n",
          r.policy(), r.sent(), r.finished(), r.shed(), r.rejected(), 100 * r.attainment(),
          r.goodputPerSecond(), DemoResult.percentile(r.ttftMs(), 0.5),
          DemoResult.percentile(r.ttftMs(), 0.99), DemoResult.percentile(r.tpotMs(), 0.5),
          DemoResult.percentile(r.tpotMs(), 0.99), r.outputTokens() / r.seconds()));
    }
    return md.toString();
  }

  private static void plot(Path file, String what, List<DemoResult> runs, boolean ttft, int slo)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(800).height(500)
        .title(what + " of finished requests (CDF)").xAxisTitle(what + " ms")
        .yAxisTitle("share of requests").build();
    double max = slo;
    for (DemoResult run : runs) {
      double[] values = ttft ? run.ttftMs() : run.tpotMs();
      if (values.length == 0) {
        continue;
      }
      int stride = Math.max(1, values.length / 500);
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int i = 0; i < values.length; i += stride) {
        xs.add(values[i]);
        ys.add((i + 1) / (double) values.length);
      }
      xs.add(values[values.length - 1]);
      ys.add(1.0);
      max = Math.max(max, values[values.length - 1]);
      XYSeries series = chart.addSeries(run.policy(), xs, ys);
      series.setMarker(SeriesMarkers.NONE);
    }
    XYSeries target = chart.addSeries("SLO " + slo + " ms", new double[] {slo, slo},
        new double[] {0, 1});
    target.setMarker(SeriesMarkers.NONE);
    chart.getStyler().setXAxisMax(max * 1.05);
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
