package io.synergysched.cli;

import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.audit.AccuracyRow;
import io.synergysched.core.model.audit.PrequentialEvaluator;
import io.synergysched.core.model.audit.ResidualBreakdown;
import io.synergysched.core.model.audit.StepLatencyPredictor;
import io.synergysched.core.model.audit.StepLatencyPredictorRegistry;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.schemas.RecordedRecord;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.runtime.mapping.TelemetryMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificDatumReader;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The offline model audit: every recorded step is predicted by each predictor before it learns
 * from the step (prequential), per engine, in file order. Writes {@code audit.csv} (steady state:
 * after each engine's warm-up), {@code audit-warmup.csv} (the warm-up steps), {@code audit.md}
 * and {@code predicted-vs-measured.png}.
 */
final class TelemetryAudit {

  static final String CSV_HEADER = "engine,predictor,steps,r2,mape,mae_ms";
  private static final int MAX_POINTS_PER_SERIES = 1500;
  private static final int MAX_CHARTS = 16;

  private final int warmupSteps;
  /** engine, then predictor, then (measured ms, predicted ms) pairs, every k-th kept. */
  private final Map<String, Map<String, List<double[]>>> points = new TreeMap<>();

  private final StepLatencyModelConfig config;

  TelemetryAudit(int warmupSteps) {
    this(warmupSteps, StepLatencyModelConfig.defaults());
  }

  /** @param config the audited synergy model's settings */
  TelemetryAudit(int warmupSteps, StepLatencyModelConfig config) {
    this.warmupSteps = warmupSteps;
    this.config = config;
  }

  /** Audits {@code telemetry} and writes the reports to {@code out}; returns the rows written. */
  List<AccuracyRow> run(Path telemetry, Path out) throws IOException {
    Map<String, Function<String, StepLatencyPredictor>> factories = new LinkedHashMap<>();
    StepLatencyPredictorRegistry.standard(config, engine -> Optional.empty())
        .forEach((name, factory) -> factories.put(name, engine -> recording(engine, factory.apply(engine))));
    PrequentialEvaluator evaluator = new PrequentialEvaluator(factories, warmupSteps);
    long steps = 0;
    for (StepTelemetry record : readSteps(telemetry)) {
      evaluator.accept(TelemetryMapping.toObservation(record));
      steps++;
    }
    if (steps == 0) {
      throw new IllegalArgumentException(telemetry + " holds no step telemetry");
    }
    Files.createDirectories(out);
    List<AccuracyRow> rows = evaluator.rows();
    writeCsv(out.resolve("audit.csv"), rows, AccuracyRow.STEADY);
    writeCsv(out.resolve("audit-warmup.csv"), rows, AccuracyRow.WARMUP);
    writeBreakdown(out.resolve("audit-breakdown.csv"), out.resolve("audit-largest.csv"),
        evaluator.breakdown());
    writeSummary(out.resolve("audit.md"), telemetry, steps, rows, evaluator.breakdown());
    writePlot(out.resolve("predicted-vs-measured.png"));
    return rows;
  }

  /**
   * The steps in {@code file}: an object container file of StepTelemetry (as {@code simulate}
   * records it) or of RecordedRecord (as {@code record} saves topics; its step-topic records).
   */
  static List<StepTelemetry> readSteps(Path file) throws IOException {
    List<StepTelemetry> steps = new ArrayList<>();
    try (DataFileReader<GenericRecord> probe =
        new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
      String name = probe.getSchema().getFullName();
      if (name.equals(RecordedRecord.getClassSchema().getFullName())) {
        AvroRecordCodec<StepTelemetry> codec =
            new AvroRecordCodec<>(StepTelemetry.class, (SchemaRegistryClient) null);
        try (DataFileReader<RecordedRecord> in =
            new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(RecordedRecord.class))) {
          for (RecordedRecord r : in) {
            if (r.getTopic().equals(Topics.ENGINE_STEPS.name()) && r.getValue() != null) {
              byte[] bytes = new byte[r.getValue().remaining()];
              r.getValue().duplicate().get(bytes);
              steps.add(codec.decode(r.getTopic(), r.getPartition(), r.getOffset(), bytes));
            }
          }
        }
      } else if (name.equals(StepTelemetry.getClassSchema().getFullName())) {
        try (DataFileReader<StepTelemetry> in =
            new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(StepTelemetry.class))) {
          StepTelemetry record = null;
          while (in.hasNext()) {
            record = in.next(record);
            steps.add(StepTelemetry.newBuilder(record).build());
          }
        }
      } else {
        throw new IllegalArgumentException(
            file + " holds " + name + " records, not StepTelemetry or RecordedRecord");
      }
    }
    return steps;
  }

  private StepLatencyPredictor recording(String engine, StepLatencyPredictor inner) {
    List<double[]> series =
        points.computeIfAbsent(engine, e -> new LinkedHashMap<>())
            .computeIfAbsent(inner.name(), p -> new ArrayList<>());
    return new StepLatencyPredictor() {
      private StepObservation predicted;
      private double predictionUs;
      private long seen;

      @Override
      public String name() {
        return inner.name();
      }

      @Override
      public double predictUs(StepObservation step) {
        predicted = step;
        predictionUs = inner.predictUs(step);
        return predictionUs;
      }

      @Override
      public void learn(StepObservation step) {
        if (step == predicted && seen++ % 4 == 0 && series.size() < 4 * MAX_POINTS_PER_SERIES) {
          series.add(new double[] {step.durationUs() / 1000.0, predictionUs / 1000.0});
        }
        inner.learn(step);
      }
    };
  }

  private static void writeCsv(Path file, List<AccuracyRow> rows, String phase) throws IOException {
    try (Writer out = Files.newBufferedWriter(file)) {
      out.write(CSV_HEADER + "\n");
      for (AccuracyRow row : rows) {
        if (row.phase().equals(phase)) {
          out.write(String.format(Locale.ROOT, "%s,%s,%d,%.4f,%.4f,%.4f%n",
              row.engine(), row.predictor(), row.steps(), row.r2(), row.mape(), row.maeMs()));
        }
      }
    }
  }

  private static void writeBreakdown(Path groups, Path largest, ResidualBreakdown breakdown)
      throws IOException {
    try (Writer out = Files.newBufferedWriter(groups)) {
      out.write("engine,predictor,dimension,group,steps,r2,mape,mae_ms,mean_ms,mean_signed_error_ms\n");
      for (ResidualBreakdown.Row r : breakdown.rows()) {
        out.write(String.format(Locale.ROOT, "%s,%s,%s,%s,%d,%.4f,%.4f,%.4f,%.4f,%.4f%n", r.engine(),
            r.predictor(), r.dimension(), r.group(), r.steps(), r.r2(), r.mape(), r.maeMs(),
            r.meanMs(), r.meanSignedErrorMs()));
      }
    }
    try (Writer out = Files.newBufferedWriter(largest)) {
      out.write("engine,predictor,steps,threshold_ms,median_abs_rel_error\n");
      for (ResidualBreakdown.Largest r : breakdown.largestSteps()) {
        out.write(String.format(Locale.ROOT, "%s,%s,%d,%.4f,%.4f%n", r.engine(), r.predictor(),
            r.steps(), r.thresholdMs(), r.medianAbsRelError()));
      }
    }
  }

  private void writeSummary(Path file, Path telemetry, long steps, List<AccuracyRow> rows,
      ResidualBreakdown breakdown) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Step-latency model audit\n\n");
    md.append("Telemetry `").append(telemetry).append("`: ").append(steps).append(" steps of ")
        .append(points.size()).append(" engines. Prequential: each step is predicted before the ")
        .append("predictor learns it. Models start cold (no class prior). The first ")
        .append(warmupSteps).append(" steps of each engine are warm-up (`audit-warmup.csv`); ")
        .append("`audit.csv` is the steady state. MAPE is a fraction (0.05 = 5%).\n\n");
    for (String phase : List.of(AccuracyRow.STEADY, AccuracyRow.WARMUP)) {
      md.append("## All engines pooled, ").append(phase).append("\n\n");
      md.append("| predictor | steps | R^2 | MAPE | MAE ms |\n|---|---:|---:|---:|---:|\n");
      for (AccuracyRow row : rows) {
        if (row.engine().equals(AccuracyRow.ALL_ENGINES) && row.phase().equals(phase)) {
          md.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.2f%% | %.3f |%n",
              row.predictor(), row.steps(), row.r2(), 100 * row.mape(), row.maeMs()));
        }
      }
      md.append('\n');
    }
    md.append("## Per engine, steady state\n\n");
    md.append("| engine | predictor | steps | R^2 | MAPE | MAE ms |\n|---|---|---:|---:|---:|---:|\n");
    for (AccuracyRow row : rows) {
      if (!row.engine().equals(AccuracyRow.ALL_ENGINES) && row.phase().equals(AccuracyRow.STEADY)) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.4f | %.2f%% | %.3f |%n",
            row.engine(), row.predictor(), row.steps(), row.r2(), 100 * row.mape(), row.maeMs()));
      }
    }
    md.append("\n## Largest 5% of steps by measured duration, steady state\n\n");
    md.append("| engine | predictor | steps | from ms | median abs error |\n|---|---|---:|---:|---:|\n");
    for (ResidualBreakdown.Largest r : breakdown.largestSteps()) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f | %.2f%% |%n", r.engine(),
          r.predictor(), r.steps(), r.thresholdMs(), 100 * r.medianAbsRelError()));
    }
    md.append("\n## Where the error sits: steady state by step class and prefill chunk\n\n");
    md.append("Mean signed error > 0: the predictor overestimates. Every dimension (also cached ")
        .append("context and decode batch) is in `audit-breakdown.csv`.\n\n");
    md.append("| engine | predictor | by | group | steps | R^2 | MAPE | MAE ms | mean ms | signed ms |\n")
        .append("|---|---|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (ResidualBreakdown.Row r : breakdown.rows()) {
      if (r.dimension().equals("class") || r.dimension().equals("chunk")) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %.4f | %.2f%% | %.3f | %.2f | %+.3f |%n",
            r.engine(), r.predictor(), r.dimension(), r.group(), r.steps(), r.r2(), 100 * r.mape(),
            r.maeMs(), r.meanMs(), r.meanSignedErrorMs()));
      }
    }
    md.append("\n![predicted vs measured](predicted-vs-measured.png)\n");
    Files.writeString(file, md);
  }

  private void writePlot(Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<XYChart> charts = new ArrayList<>();
    for (Map.Entry<String, Map<String, List<double[]>>> engine : points.entrySet()) {
      if (charts.size() == MAX_CHARTS) {
        break;
      }
      XYChart chart = new XYChartBuilder().width(520).height(420)
          .title(engine.getKey()).xAxisTitle("measured step ms").yAxisTitle("predicted step ms")
          .build();
      chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      chart.getStyler().setMarkerSize(3);
      double max = 0;
      for (Map.Entry<String, List<double[]>> predictor : engine.getValue().entrySet()) {
        List<double[]> all = predictor.getValue();
        int stride = Math.max(1, all.size() / MAX_POINTS_PER_SERIES);
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < all.size(); i += stride) {
          xs.add(all.get(i)[0]);
          ys.add(all.get(i)[1]);
          max = Math.max(max, Math.max(all.get(i)[0], all.get(i)[1]));
        }
        if (!xs.isEmpty()) {
          chart.addSeries(predictor.getKey(), xs, ys);
        }
      }
      XYSeries diagonal = chart.addSeries("measured", new double[] {0, max}, new double[] {0, max});
      diagonal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      diagonal.setMarker(SeriesMarkers.NONE);
      charts.add(chart);
    }
    int cols = (int) Math.ceil(Math.sqrt(charts.size()));
    int rowsCount = (int) Math.ceil(charts.size() / (double) cols);
    while (charts.size() < rowsCount * cols) { // the grid encoder wants every cell filled
      charts.add(new XYChartBuilder().width(520).height(420).build());
    }
    try {
      BitmapEncoder.saveBitmap(charts, rowsCount, cols, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
