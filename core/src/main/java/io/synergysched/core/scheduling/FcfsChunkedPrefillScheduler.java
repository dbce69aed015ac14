package io.synergysched.core.scheduling;

import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.util.Map;

/**
 * vLLM v1's default policy: first come first served, running requests first (decodes take one
 * token each, an unfinished chunked prefill takes what the budget leaves), then waiting requests
 * in queue order, each chunked to the remaining budget. As in vLLM, no new request is admitted in
 * a step that had to preempt, since memory is short. With a small budget this is Sarathi-Serve's
 * static chunking.
 *
 * <p>Optionally ({@code shedAfterMs} &gt; 0) a waiting request that has not started is shed once it
 * has waited that long, as a client or gateway timeout would drop it: the ablation that gives a
 * static budget the same triage LENS has, so LENS's gain can be split into triage and batching.
 *
 * <p>As a scheduler profile: type {@link #TYPE}, parameters {@link #PARAMETERS}.
 */
public final class FcfsChunkedPrefillScheduler implements BatchScheduler {

  /** The scheduler type profiles name. */
  public static final String TYPE = "fcfs-chunked-prefill";

  private static final Setting<Integer> TOKEN_BUDGET = Setting.integer("token-budget", 8192, 1, 1 << 20,
      "tokens per step (vLLM's max_num_batched_tokens; its server default 8192)");
  private static final Setting<Integer> MAX_NUM_SEQS = Setting.integer("max-num-seqs", 256, 1, 1 << 20,
      "running sequences at most (vLLM's max_num_seqs; its default 256)");
  private static final Setting<Double> SHED_AFTER_TTFT_MULTIPLE = Setting.number("shed-after-ttft-multiple", 0,
      0, 1000, "shed a waiting request that has not started once it has waited this many times the engine's"
          + " default TTFT target (a client or gateway timeout); 0 never sheds");

  /** The parameters of a profile of this type, in docs order. */
  public static final Settings PARAMETERS = Settings.of(TOKEN_BUDGET, MAX_NUM_SEQS, SHED_AFTER_TTFT_MULTIPLE);

  /** LENS's triage on this policy, as the {@code -shed} profiles set it: shed once the TTFT target has passed. */
  static final Map<String, String> TRIAGE = Map.of(SHED_AFTER_TTFT_MULTIPLE.key(), "1");

  /** No shedding at all. */
  static final Map<String, String> NO_TRIAGE = Map.of(SHED_AFTER_TTFT_MULTIPLE.key(), "0");

  private final String name;
  private final int tokenBudget;
  private final int maxNumSeqs;
  private final double shedAfterMs;
  private long shed;

  /**
   * @param tokenBudget tokens per step ({@code max_num_batched_tokens}), &gt; 0
   * @param maxNumSeqs running sequences at most ({@code max_num_seqs}), &gt; 0
   */
  public FcfsChunkedPrefillScheduler(String name, int tokenBudget, int maxNumSeqs) {
    this(name, tokenBudget, maxNumSeqs, 0);
  }

  /**
   * @param shedAfterMs shed waiting requests that have not started after this long, ms; 0 never
   */
  public FcfsChunkedPrefillScheduler(String name, int tokenBudget, int maxNumSeqs, double shedAfterMs) {
    if (tokenBudget <= 0) {
      throw new IllegalArgumentException("max_num_batched_tokens must be > 0, got " + tokenBudget);
    }
    if (maxNumSeqs <= 0) {
      throw new IllegalArgumentException("max_num_seqs must be > 0, got " + maxNumSeqs);
    }
    if (!(shedAfterMs >= 0)) {
      throw new IllegalArgumentException("shed-after must be >= 0 ms, got " + shedAfterMs);
    }
    this.name = name;
    this.tokenBudget = tokenBudget;
    this.maxNumSeqs = maxNumSeqs;
    this.shedAfterMs = shedAfterMs;
  }

  /** The scheduler of {@code profile} (of this type) for the engine {@code environment} describes. */
  static FcfsChunkedPrefillScheduler of(SchedulerProfile profile, SchedulerEnvironment environment) {
    return new FcfsChunkedPrefillScheduler(profile.name(), profile.get(TOKEN_BUDGET), profile.get(MAX_NUM_SEQS),
        profile.get(SHED_AFTER_TTFT_MULTIPLE) * environment.defaultTtftMs());
  }

  @Override
  public long shedRequests() {
    return shed;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int tokenBudget() {
    return tokenBudget;
  }

  @Override
  public int maxNumSeqs() {
    return maxNumSeqs;
  }

  @Override
  public void schedule(SchedulingContext context) {
    if (shedAfterMs > 0) {
      for (int w = context.waitingCount() - 1; w >= 0; w--) {
        SchedulableRequest r = context.waiting(w);
        if (r.generatedTokens() == 0 && context.nowMs() - r.arrivalTimeMs() > shedAfterMs
            && context.shedWaiting(w)) {
          shed++;
        }
      }
    }
    int budget = tokenBudget;
    for (int i = 0; i < context.runningCount() && budget > 0; i++) {
      int tokens = Math.min(context.running(i).tokensToCompute(), budget);
      if (!context.scheduleRunning(i, tokens)) {
        break;
      }
      budget -= tokens;
    }
    if (context.preemptionsThisStep() > 0) {
      return;
    }
    while (budget > 0 && context.waitingCount() > 0 && context.runningCount() < maxNumSeqs) {
      int tokens = Math.min(context.waiting(0).tokensToCompute(), budget);
      if (!context.admitWaiting(0, tokens)) {
        break;
      }
      budget -= tokens;
    }
  }
}
