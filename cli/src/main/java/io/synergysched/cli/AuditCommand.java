package io.synergysched.cli;

import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.audit.AccuracyRow;
import io.synergysched.core.model.audit.PrequentialEvaluator;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Audits the step-latency models offline on recorded telemetry. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Prequential audit of step-latency predictors (synergy, llumnix-quadratic, llmd-linear) on",
      "step telemetry recorded as an Avro object container file (as `simulate` records it with",
      "record_telemetry: true). Writes audit.csv, audit-warmup.csv, audit.md and a PNG."
    })
final class AuditCommand implements Callable<Integer> {

  @Option(names = "--telemetry", required = true, description = "Avro file of StepTelemetry")
  Path telemetry;

  @Option(names = "--out", description = "output directory (default: out/audit)")
  Path out = Path.of("out", "audit");

  @Option(names = "--warmup", description = "warm-up steps per engine (default: ${DEFAULT-VALUE})")
  int warmup = PrequentialEvaluator.DEFAULT_WARMUP_STEPS;

  @Option(names = "--model", paramLabel = "KEY=VALUE",
      description = "a synergy.model.* setting for the audited synergy model (repeatable), as the"
          + " trainer and router read it, e.g. synergy.model.forgetting-factor=0.999")
  Map<String, String> model = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    if (warmup < 0) {
      throw new IllegalArgumentException("--warmup must be >= 0, was " + warmup);
    }
    for (String key : model.keySet()) {
      if (!StepLatencyModelConfig.SETTINGS.keys().contains(key)) {
        throw new IllegalArgumentException("--model " + key + ": not a model setting; the keys are "
            + StepLatencyModelConfig.SETTINGS.keys());
      }
    }
    var rows = new TelemetryAudit(warmup, StepLatencyModelConfig.fromProperties(model)).run(telemetry, out);
    System.out.println("predictor            steps      R^2    MAPE   MAE ms   (all engines, steady)");
    for (AccuracyRow row : rows) {
      if (row.engine().equals(AccuracyRow.ALL_ENGINES) && row.phase().equals(AccuracyRow.STEADY)) {
        System.out.println(String.format(Locale.ROOT, "%-18s %8d %8.4f %6.2f%% %8.3f",
            row.predictor(), row.steps(), row.r2(), 100 * row.mape(), row.maeMs()));
      }
    }
    System.out.println("wrote " + out.resolve("audit.csv") + ", audit-warmup.csv, audit.md,"
        + " predicted-vs-measured.png");
    return 0;
  }
}
