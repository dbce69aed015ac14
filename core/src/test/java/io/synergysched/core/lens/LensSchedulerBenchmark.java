package io.synergysched.core.lens;

import io.synergysched.core.lens.FakeSchedulingContext.Request;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.TrainedModels;
import io.synergysched.core.model.predict.EnginePerformancePredictor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one LENS scheduling decision with 256 running (224 decoding, 32 mid-prefill) and 256
 * waiting requests. {@code overloaded}: arrivals spread over the last second with prompts up to
 * 4k tokens, so many are hopeless (deferred) and the rescue knapsack runs every step;
 * {@code fresh}: every waiting request arrived in the last 100 ms, none is hopeless yet, but 256
 * prompts are more than any budget finishes within their TTFT, so the knapsack runs too (the
 * tear-down line prints how often it ran). Sample-time
 * mode reports the percentiles (the target is p99 &lt;= 20 us). Not a test: run it with
 * {@code org.openjdk.jmh.Main LensSchedulerBenchmark} on the test classpath (docs/lens.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LensSchedulerBenchmark {

  @Param({"overloaded", "fresh"})
  public String load;

  private LensScheduler scheduler;
  private FakeSchedulingContext context;

  @Setup(Level.Trial)
  public void setUp() {
    EnginePerformancePredictor predictor = EnginePerformancePredictor.of(
        TrainedModels.mediumLoadModel().snapshot(), StepLatencyModelConfig.defaults());
    LensPlan hint = new LensPlanner(LensPlannerConfig.defaults())
        .plan("e0", predictor, 100, 1500, 7000, 16, 0, 1);
    scheduler = LensScheduler.withHints(LensSchedulerConfig.defaults(), now -> hint, predictor, 1000, 100);
    SplittableRandom random = new SplittableRandom(2026);
    double now = 10_000;
    List<Request> running = new ArrayList<>();
    for (int i = 0; i < 224; i++) {
      running.add(Request.decoding(i, now - 5_000, 200 + random.nextInt(2000), 1 + random.nextInt(300)));
    }
    for (int i = 0; i < 32; i++) {
      int prompt = 500 + random.nextInt(3000);
      running.add(new Request(1000 + i, now - random.nextInt(800), prompt, 128, 0, random.nextInt(prompt / 2)));
    }
    List<Request> waiting = new ArrayList<>();
    boolean overloaded = "overloaded".equals(load);
    for (int i = 0; i < 256; i++) {
      double arrival = overloaded ? now - 1_000 + i * 3.9 : now - 100 + i * 0.39;
      waiting.add(Request.waiting(2000 + i, arrival, 50 + random.nextInt(overloaded ? 4000 : 1000)));
    }
    context = new FakeSchedulingContext(now, running, waiting, 100_000, 60_000);
    context.mutate = false;
  }

  /** Shows that the case measured is the one intended (the knapsack runs in every overloaded step). */
  @TearDown(Level.Trial)
  public void report() {
    System.err.printf("%s: %d steps, knapsack in %d, %d requests deferred%n", load, scheduler.steps(),
        scheduler.knapsackSolves(), scheduler.deferredRequests());
  }

  @Benchmark
  public int schedule() {
    scheduler.schedule(context);
    return scheduler.tokenBudget();
  }
}
