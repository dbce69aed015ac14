package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.CandidateFilter;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.PluginParameters;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Power of d choices: when more than {@code sample-size} (default 16) candidates remain, keeps a
 * uniformly random subset of that size (seeded, {@code seed}, default 1), so the plugins after it
 * cost O(d) per decision instead of O(engines). With d choices the maximum load of a balls-into-
 * bins process is already within {@code ln ln n / ln d} of the best (Mitzenmacher), so large
 * clusters lose little. A no-op for clusters of at most {@code sample-size} engines.
 */
public final class CandidateSampleFilter implements CandidateFilter {

  public static final String TYPE = "sample-candidates";

  private static final Setting<Integer> SAMPLE_SIZE = Setting.integer("sample-size", 16, 1, 1 << 20,
      "candidates kept when more remain (d of the power of d choices)");
  public static final Settings PARAMETERS = Settings.of(SAMPLE_SIZE, PluginParameters.SEED);

  private final int sampleSize;
  private final SplittableRandom random;
  private int[] order = new int[16];
  private boolean[] keep = new boolean[16];

  public CandidateSampleFilter(PluginContext context) {
    this.sampleSize = context.get(SAMPLE_SIZE);
    this.random = new SplittableRandom(context.get(PluginParameters.SEED));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void filter(RoutingRequest request, List<? extends EngineView> engines, Candidates c) {
    int m = c.size();
    if (m <= sampleSize) {
      return;
    }
    if (order.length < m) {
      order = new int[Math.max(m, order.length * 2)];
      keep = new boolean[order.length];
    }
    for (int k = 0; k < m; k++) {
      order[k] = k;
      keep[k] = false;
    }
    // Partial Fisher-Yates: the first sampleSize positions become a uniform sample.
    for (int k = 0; k < sampleSize; k++) {
      int j = k + random.nextInt(m - k);
      int t = order[k];
      order[k] = order[j];
      order[j] = t;
      keep[order[k]] = true;
    }
    c.retain(keep);
  }
}
