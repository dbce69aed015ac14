package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.CandidateScorer;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.util.List;

/**
 * llm-d's {@code latency-scorer} ({@code pkg/epp/framework/plugins/scheduling/scorer/latency}), on
 * the headrooms of the shared {@link LlmdLatencyPredictor}:
 *
 * <ul>
 *   <li>if some candidates have both headrooms &gt;= 0, only they are scored (the rest get 0);
 *   <li>else, if some have no request dispatched by the router, only those idle ones are scored;
 *   <li>else only the least severe non-empty bucket: TPOT alone negative, then TTFT alone, then both.
 * </ul>
 *
 * Within the scored bucket |TTFT headroom| and |TPOT headroom| are min-max normalized (0.5 when all
 * are equal, and a dimension whose range is 0 hands its weight to the other), blended
 * {@code ttft-weight} : {@code tpot-weight} (0.8 : 0.2), and mapped to llm-d's integer weights
 * {@code floor((1 - blend) x 100) + 1} under strategy {@code least} (closest to the target wins:
 * bin-packing, llm-d's default) or {@code floor(blend x 100) + 1} under {@code most} (positive
 * headroom only; negative headroom always uses least). llm-d divides by 100, which can exceed 1;
 * here the weight is divided by 101, which keeps the scores in [0, 1] and their ratios, so the
 * weighted-random picker chooses with the same probabilities. (llm-d's composite fallback for pods
 * without predictions is not needed: the predictor always answers.)
 */
public final class LatencyHeadroomScorer implements CandidateScorer {

  public static final String TYPE = "latency";

  /** How headroom maps to a score (llm-d's headroomSelectionStrategy). */
  public enum Strategy { LEAST, MOST }

  private static final Setting<Double> TTFT_WEIGHT = Setting.number("ttft-weight", 0.8, 0, 1e6,
      "weight of the normalized TTFT headroom in the blend (llm-d's ttftWeight)");
  private static final Setting<Double> TPOT_WEIGHT = Setting.number("tpot-weight", 0.2, 0, 1e6,
      "weight of the normalized TPOT headroom in the blend (llm-d's tpotWeight)");
  private static final Setting<Strategy> STRATEGY = Setting.choice("headroom-selection-strategy", Strategy.class,
      Strategy.LEAST, "least: prefer the pod closest to the targets (bin-packing); most: the most headroom");
  public static final Settings PARAMETERS = Settings.of(TTFT_WEIGHT, TPOT_WEIGHT, STRATEGY);

  private static final int WEIGHT_MAX = 100;
  private static final double EPS = 1e-9;

  private final double ttftWeight;
  private final double tpotWeight;
  private final Strategy strategy;
  private final LlmdLatencyForecast predictor;
  private double[] ttftHeadroom = new double[16];
  private double[] tpotHeadroom = new double[16];
  private boolean[] inBucket = new boolean[16];

  public LatencyHeadroomScorer(PluginContext context) {
    double a = context.get(TTFT_WEIGHT);
    double b = context.get(TPOT_WEIGHT);
    double sum = a + b;
    this.ttftWeight = sum <= 0 ? 1.0 : a / sum;
    this.tpotWeight = sum <= 0 ? 0.0 : b / sum;
    this.strategy = context.get(STRATEGY);
    this.predictor = context.shared(LlmdLatencyForecast.class, LlmdLatencyPredictor.TYPE);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void score(RoutingRequest request, List<? extends EngineView> engines, Candidates c, double[] scores) {
    int m = c.size();
    if (ttftHeadroom.length < m) {
      int n = Math.max(m, ttftHeadroom.length * 2);
      ttftHeadroom = new double[n];
      tpotHeadroom = new double[n];
      inBucket = new boolean[n];
    }
    for (int k = 0; k < m; k++) {
      int engine = c.engineAt(k);
      ttftHeadroom[k] = predictor.ttftHeadroomMs(request, engine);
      tpotHeadroom[k] = predictor.tpotHeadroomMs(request, engine);
      scores[k] = 0;
    }
    if (select(c, m, Bucket.POSITIVE)) {
      scoreBucket(m, scores, strategy);
    } else if (select(c, m, Bucket.IDLE) || select(c, m, Bucket.TPOT_NEGATIVE)
        || select(c, m, Bucket.TTFT_NEGATIVE) || select(c, m, Bucket.BOTH_NEGATIVE)) {
      scoreBucket(m, scores, Strategy.LEAST);
    }
  }

  private enum Bucket { POSITIVE, IDLE, TPOT_NEGATIVE, TTFT_NEGATIVE, BOTH_NEGATIVE }

  /** Marks the candidates of {@code bucket} in {@code inBucket}; whether there are any. */
  private boolean select(Candidates c, int m, Bucket bucket) {
    boolean any = false;
    for (int k = 0; k < m; k++) {
      boolean ttftOk = ttftHeadroom[k] >= 0;
      boolean tpotOk = tpotHeadroom[k] >= 0;
      inBucket[k] = switch (bucket) {
        case POSITIVE -> ttftOk && tpotOk;
        case IDLE -> predictor.dispatchedRequests(c.engineAt(k)) == 0;
        case TPOT_NEGATIVE -> ttftOk && !tpotOk;
        case TTFT_NEGATIVE -> !ttftOk && tpotOk;
        case BOTH_NEGATIVE -> !ttftOk && !tpotOk;
      };
      any |= inBucket[k];
    }
    return any;
  }

  private void scoreBucket(int m, double[] scores, Strategy use) {
    double minTtft = Double.MAX_VALUE;
    double maxTtft = -Double.MAX_VALUE;
    double minTpot = Double.MAX_VALUE;
    double maxTpot = -Double.MAX_VALUE;
    for (int k = 0; k < m; k++) {
      if (inBucket[k]) {
        minTtft = Math.min(minTtft, Math.abs(ttftHeadroom[k]));
        maxTtft = Math.max(maxTtft, Math.abs(ttftHeadroom[k]));
        minTpot = Math.min(minTpot, Math.abs(tpotHeadroom[k]));
        maxTpot = Math.max(maxTpot, Math.abs(tpotHeadroom[k]));
      }
    }
    double ttftRange = maxTtft - minTtft;
    double tpotRange = maxTpot - minTpot;
    double alpha = ttftWeight;
    double beta = tpotWeight;
    if (ttftRange <= EPS && tpotRange > EPS) {
      alpha = 0;
      beta = 1;
    } else if (tpotRange <= EPS && ttftRange > EPS) {
      alpha = 1;
      beta = 0;
    }
    for (int k = 0; k < m; k++) {
      if (!inBucket[k]) {
        continue;
      }
      double nTtft = ttftRange > EPS ? (Math.abs(ttftHeadroom[k]) - minTtft) / ttftRange : 0.5;
      double nTpot = tpotRange > EPS ? (Math.abs(tpotHeadroom[k]) - minTpot) / tpotRange : 0.5;
      double blend = alpha * nTtft + beta * nTpot;
      int weight = use == Strategy.MOST
          ? (int) (blend * WEIGHT_MAX) + 1
          : (int) ((1.0 - blend) * WEIGHT_MAX) + 1;
      scores[k] = weight / (double) (WEIGHT_MAX + 1);
    }
  }
}
