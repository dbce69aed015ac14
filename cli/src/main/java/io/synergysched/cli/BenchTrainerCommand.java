package io.synergysched.cli;

import com.sun.management.OperatingSystemMXBean;
import io.synergysched.runtime.config.HttpAccess;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.embedded.EmbeddedKafkaCluster;
import io.synergysched.topologies.TopicProvisioner;
import io.synergysched.runtime.query.EngineSnapshot;
import io.synergysched.runtime.query.QueryNotReadyException;
import io.synergysched.trainer.ModelTrainer;
import io.synergysched.trainer.ModelTrainerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The model-trainer on a real broker: how many step events per second one instance ingests, and
 * how fresh its interactive queries are under load.
 *
 * <p>Per processing guarantee, one fresh application: (1) a backlog of steps for many engines is
 * produced first (pre-encoded, idempotent, batched), then the trainer starts and drains it; ingest
 * throughput is the trainer's processed-record rate between 25% and 90% of the backlog, so
 * start-up, JIT warm-up and the tail do not count and the producer does not compete for the cores (as Kafka's
 * own Streams benchmarks measure). (2) With the trainer caught up, steps are produced at each
 * load rate while probe steps, a few per second, measure freshness: from the probe's
 * {@code send()} to its step index showing in {@code EngineQueryService.localEngine}'s status.
 */
@Command(
    name = "bench-trainer",
    mixinStandardHelpOptions = true,
    description = "Benchmark one model-trainer on a real broker: ingest steps/s and query "
        + "freshness (produce to visible in an interactive query) under load.")
final class BenchTrainerCommand implements Callable<Integer> {

  private static final String STEPS_TOPIC = Topics.ENGINE_STEPS.name();
  private static final String SUBJECT = STEPS_TOPIC + "-value";
  private static final int PROBE_ENGINES = 8;
  private static final long START_TIME_MS = 1_700_000_000_000L;

  @Spec CommandSpec spec;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
      description = "a running Kafka cluster; without it a one-node KRaft broker starts in this JVM")
  String bootstrapServers;

  @Option(names = "--engines", defaultValue = "1000", description = "engines the steps belong to")
  int engines;

  @Option(names = "--steps", defaultValue = "2000000",
      description = "backlog steps per guarantee for the throughput phase (held pre-encoded in memory, ~100 B each)")
  int steps;

  @Option(names = "--seconds", defaultValue = "20",
      description = "duration of each freshness run (one per load rate), s")
  int seconds;

  @Option(names = "--load-rates", split = ",", defaultValue = "20000,50000",
      description = "steps/s produced during the freshness runs (comma-separated)")
  List<Integer> loadRates;

  @Option(names = "--probe-rate", defaultValue = "100",
      description = "probe steps per second during a freshness run")
  int probeRate;

  @Option(names = "--guarantees", split = ",", defaultValue = "at_least_once,exactly_once_v2",
      description = "processing guarantees to run side by side")
  List<String> guarantees;

  @Option(names = "--partitions", defaultValue = "4",
      description = "partitions of the topics it creates (existing topics keep theirs)")
  int partitions;

  @Option(names = "--threads", defaultValue = "1", description = "num.stream.threads")
  int threads;

  @Option(names = "--commit-interval-ms", defaultValue = "100", description = "commit.interval.ms")
  int commitIntervalMs;

  @Option(names = "--cache-bytes", defaultValue = "104857600",
      description = "statestore.cache.max.bytes: must hold every engine's model state (~6 KB) and status per thread, or writes go through per step")
  long cacheBytes;

  @Option(names = "--linger-ms", defaultValue = "5",
      description = "linger.ms of the telemetry producer (the probes go through it too)")
  int lingerMs;

  @Option(names = "--batch-bytes", defaultValue = "262144",
      description = "batch.size of the telemetry producer")
  int batchBytes;

  @Option(names = "--trainer-linger-ms", defaultValue = "5",
      description = "linger.ms of the trainer's own producer (changelogs, snapshots)")
  int trainerLingerMs;

  @Option(names = "--seed", defaultValue = "42", description = "seed of the step compositions")
  long seed;

  @Override
  public Integer call() throws Exception {
    validate();
    // the broker and Streams log thousands of INFO lines at start; the figures are what matter
    // (takes effect only if nothing logged yet; -Dorg.slf4j.simpleLogger.defaultLogLevel wins)
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    PrintWriter out = spec.commandLine().getOut();
    EmbeddedKafkaCluster embedded = null;
    Path stateRoot = Files.createTempDirectory("synergysched-bench-trainer");
    try {
      String bootstrap = bootstrapServers;
      if (bootstrap == null) {
        embedded = EmbeddedKafkaCluster.start(1);
        bootstrap = embedded.bootstrapServers();
      }
      int stepPartitions;
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        TopicProvisioner.ensureTopics(admin, partitions, (short) 1);
        TopicDescription steps =
            admin.describeTopics(List.of(STEPS_TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(STEPS_TOPIC);
        stepPartitions = steps.partitions().size();
      }
      out.printf(Locale.ROOT,
          "bench-trainer: %s, %s %d partitions, %d engines, %d backlog steps; trainer: "
              + "num.stream.threads=%d commit.interval.ms=%d statestore.cache.max.bytes=%d "
              + "producer linger.ms=%d; telemetry producer: idempotent, acks=all, linger.ms=%d "
              + "batch.size=%d; %d cores%n",
          embedded == null ? "cluster " + bootstrap : "1 KRaft broker in this JVM", STEPS_TOPIC,
          stepPartitions, engines, steps, threads, commitIntervalMs, cacheBytes, trainerLingerMs,
          lingerMs, batchBytes, Runtime.getRuntime().availableProcessors());
      out.flush();
      List<Result> results = new ArrayList<>();
      for (int run = 0; run < guarantees.size(); run++) {
        results.add(run(run, guarantees.get(run), bootstrap, stateRoot, out));
      }
      printTable(out, results);
      return 0;
    } finally {
      if (embedded != null) {
        embedded.close();
      }
      deleteQuietly(stateRoot);
    }
  }

  private void validate() {
    positive("--engines", engines);
    positive("--steps", steps);
    positive("--seconds", seconds);
    positive("--probe-rate", probeRate);
    positive("--partitions", partitions);
    positive("--threads", threads);
    positive("--commit-interval-ms", commitIntervalMs);
    if (cacheBytes < 0) {
      throw new IllegalArgumentException("--cache-bytes must be >= 0, was " + cacheBytes);
    }
    if (lingerMs < 0 || trainerLingerMs < 0) {
      throw new IllegalArgumentException("--linger-ms and --trainer-linger-ms must be >= 0");
    }
    positive("--batch-bytes", batchBytes);
    for (int rate : loadRates) {
      positive("--load-rates", rate);
    }
    for (String g : guarantees) {
      if (!g.equals("at_least_once") && !g.equals("exactly_once_v2")) {
        throw new IllegalArgumentException(
            "--guarantees must list at_least_once or exactly_once_v2, had '" + g + "'");
      }
    }
  }

  private static void positive(String option, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(option + " must be > 0, was " + value);
    }
  }

  private Result run(int run, String guarantee, String bootstrap, Path stateRoot, PrintWriter out)
      throws Exception {
    String tag = "bench-" + ProcessHandle.current().pid() + "-" + run;
    StepSource source = new StepSource(tag, engines, seed + run);
    try (KafkaProducer<String, byte[]> producer = telemetryProducer(bootstrap)) {
      List<ProducerRecord<String, byte[]>> backlog = new ArrayList<>(steps);
      for (int i = 0; i < steps; i++) {
        backlog.add(source.next());
      }
      long produceStart = System.nanoTime();
      for (ProducerRecord<String, byte[]> record : backlog) {
        producer.send(record);
      }
      producer.flush();
      double produceRate = steps / seconds(System.nanoTime() - produceStart);
      backlog = null;
      long inTopic = endOffsetSum(bootstrap);

      Map<String, String> settings = new HashMap<>();
      settings.put(ModelTrainerConfig.BOOTSTRAP_SERVERS, bootstrap);
      settings.put(ModelTrainerConfig.APPLICATION_ID, "synergy-" + tag);
      settings.put(ModelTrainerConfig.STATE_DIR, stateRoot.resolve(tag).toString());
      settings.put(ModelTrainerConfig.IQ_PORT, "0");
      settings.put(ModelTrainerConfig.PROCESSING_GUARANTEE, guarantee);
      settings.put(ModelTrainerConfig.STREAM_THREADS, Integer.toString(threads));
      settings.put(ModelTrainerConfig.COMMIT_INTERVAL_MS, Integer.toString(commitIntervalMs));
      settings.put(ModelTrainerConfig.TOPIC_PARTITIONS, Integer.toString(partitions));
      settings.put(ModelTrainerConfig.STATE_CACHE_BYTES, Long.toString(cacheBytes));
      settings.put("kafka.producer.linger.ms", Integer.toString(trainerLingerMs));
      // the benchmark reads the stores in-process; its HTTP port still needs a (random) token
      settings.put(HttpAccess.TOKEN, HttpAccess.randomToken());
      try (ModelTrainer trainer = ModelTrainer.start(ModelTrainerConfig.fromSettings(settings))) {
        Throughput drain = drain(trainer, inTopic);
        out.printf(Locale.ROOT,
            "  %s: backlog %d steps (produced at %.0f/s), ingested at %.0f steps/s (%.0f per"
                + " stream-thread CPU-second; the process used %.2f cores)%n",
            guarantee, inTopic, produceRate, drain.stepsPerSecond, drain.stepsPerThreadCpuSecond,
            drain.coresUsed);
        out.flush();
        long learned = learnedSamples(trainer, tag);
        List<Freshness> freshness = new ArrayList<>();
        for (int rate : loadRates) {
          Freshness f = loadWithProbes(trainer, producer, source, rate);
          out.printf(Locale.ROOT,
              "  %s: load %d/s (trainer %.0f/s): %d probes, freshness p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
              guarantee, rate, f.trainerRate, f.probes, f.p50Ms, f.p99Ms, f.maxMs);
          out.flush();
          freshness.add(f);
        }
        return new Result(guarantee, inTopic, produceRate, drain, learned == steps, learned,
            freshness);
      }
    }
  }

  private KafkaProducer<String, byte[]> telemetryProducer(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, batchBytes);
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** Records in the steps topic now: a new application reads them all from the earliest offset. */
  private static long endOffsetSum(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      TopicDescription topic =
          admin.describeTopics(List.of(STEPS_TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS)
              .get(STEPS_TOPIC);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      topic.partitions().forEach(p -> {
        latest.put(new TopicPartition(STEPS_TOPIC, p.partition()), OffsetSpec.latest());
        earliest.put(new TopicPartition(STEPS_TOPIC, p.partition()), OffsetSpec.earliest());
      });
      long sum = 0;
      for (var info : admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values()) {
        sum += info.offset();
      }
      for (var info : admin.listOffsets(earliest).all().get(30, TimeUnit.SECONDS).values()) {
        sum -= info.offset();
      }
      return sum;
    }
  }

  /**
   * @param stepsPerSecond processed records per wall-clock second over the window
   * @param stepsPerThreadCpuSecond the same per CPU-second the stream threads got: what they would
   *     ingest with a core each, whatever else the machine runs
   * @param coresUsed CPU-seconds this whole process (broker included) used per wall-clock second
   */
  private record Throughput(
      double stepsPerSecond, double stepsPerThreadCpuSecond, double coresUsed) {}

  /** CPU time so far of this JVM's stream threads, and of the whole process, ns. */
  private record CpuSample(long streamThreadsNs, long processNs) {
    static CpuSample now() {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long streamNs = 0;
      for (Thread thread : Thread.getAllStackTraces().keySet()) {
        if (thread.getName().contains("-StreamThread-")) {
          streamNs += Math.max(0, threads.getThreadCpuTime(thread.getId()));
        }
      }
      long processNs =
          ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
              ? os.getProcessCpuTime()
              : -1;
      return new CpuSample(streamNs, processNs);
    }
  }

  /** Waits until the trainer processed {@code total} records; the rate between 25% and 90%. */
  private static Throughput drain(ModelTrainer trainer, long total) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + total / 2_000);
    long lowMark = total / 4;
    long highMark = total - total / 10;
    long lowAtNs = -1;
    long lowCount = 0;
    CpuSample lowCpu = null;
    while (true) {
      long now = System.nanoTime();
      long done = trainer.processedRecords();
      if (lowAtNs < 0 && done >= lowMark) {
        lowAtNs = now;
        lowCount = done;
        lowCpu = CpuSample.now();
      }
      if (done >= highMark && lowAtNs >= 0 && now > lowAtNs) {
        CpuSample highCpu = CpuSample.now();
        double rate = (done - lowCount) / seconds(now - lowAtNs);
        double perThreadCpu =
            (done - lowCount) / seconds(highCpu.streamThreadsNs() - lowCpu.streamThreadsNs());
        double cores = (highCpu.processNs() - lowCpu.processNs()) / (double) (now - lowAtNs);
        awaitProcessed(trainer, total, deadline);
        return new Throughput(rate, perThreadCpu, cores);
      }
      if (now > deadline || trainer.state() == KafkaStreams.State.ERROR) {
        throw new IllegalStateException("the trainer processed only " + done + " of " + total
            + " backlog steps before the deadline (state " + trainer.state() + ")");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  private static void awaitProcessed(ModelTrainer trainer, long total, long deadline) {
    while (trainer.processedRecords() < total) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the trainer did not finish the backlog in time");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  /** Steps the models of this run's engines learned: every backlog step exactly once. */
  private long learnedSamples(ModelTrainer trainer, String tag) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return trainer.queries().localEngines().stream()
            .filter(v -> v.engineId().startsWith(tag + "-e") && v.model() != null)
            .mapToLong(v -> v.model().samples())
            .sum();
      } catch (QueryNotReadyException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
    }
  }

  private record Freshness(
      int loadRate, double trainerRate, int probes, double p50Ms, double p99Ms, double maxMs) {}

  /**
   * Produces steps at {@code rate} for {@link #seconds} while one prober sends a probe step every
   * 1/probe-rate s and polls the query API until the probe's index shows; the first second's probes
   * are warm-up and not counted.
   */
  private Freshness loadWithProbes(
      ModelTrainer trainer, KafkaProducer<String, byte[]> producer, StepSource source, int rate)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Exception> failure = new AtomicReference<>();
    Thread load = new Thread(() -> {
      try {
        long start = System.nanoTime();
        long sent = 0;
        while (!stop.get()) {
          long due = (long) (rate * seconds(System.nanoTime() - start));
          while (sent < due) {
            producer.send(source.next());
            sent++;
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
      } catch (RuntimeException e) {
        failure.set(e);
      }
    }, "bench-load");
    long processedBefore = trainer.processedRecords();
    long startNs = System.nanoTime();
    load.start();
    List<Double> freshnessMs = new ArrayList<>();
    long intervalNs = TimeUnit.SECONDS.toNanos(1) / probeRate;
    long endNs = startNs + TimeUnit.SECONDS.toNanos(seconds);
    long warmupEndNs = startNs + TimeUnit.SECONDS.toNanos(Math.min(1, seconds - 1));
    long nextProbeNs = startNs;
    int probe = 0;
    try {
      while (System.nanoTime() < endNs && failure.get() == null) {
        LockSupport.parkNanos(nextProbeNs - System.nanoTime());
        nextProbeNs += intervalNs;
        ProducerRecord<String, byte[]> record = source.probe(probe++ % PROBE_ENGINES);
        long index = source.lastProbeIndex;
        long sentNs = System.nanoTime();
        producer.send(record);
        long visibleNs = awaitVisible(trainer, record.key(), index, sentNs);
        if (sentNs >= warmupEndNs) {
          freshnessMs.add((visibleNs - sentNs) / 1e6);
        }
        if (nextProbeNs < System.nanoTime()) {
          nextProbeNs = System.nanoTime(); // a slow probe delays the next instead of bunching them
        }
      }
    } finally {
      stop.set(true);
      load.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("the load producer failed: " + failure.get(), failure.get());
    }
    double trainerRate =
        (trainer.processedRecords() - processedBefore) / seconds(System.nanoTime() - startNs);
    double[] sorted = freshnessMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Freshness(rate, trainerRate, sorted.length, quantile(sorted, 0.5),
        quantile(sorted, 0.99), sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
  }

  /** Polls the local query API until the engine's status shows {@code index}; its time, ns. */
  private static long awaitVisible(ModelTrainer trainer, String engine, long index, long sentNs) {
    long deadline = sentNs + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        Optional<EngineSnapshot> view = trainer.queries().localEngine(engine);
        if (view.isPresent() && view.get().status() != null
            && view.get().status().lastStepIndex() >= index) {
          return System.nanoTime();
        }
      } catch (QueryNotReadyException e) {
        // a rebalance in progress: keep polling, the probe's freshness includes it
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("probe " + index + " of " + engine + " never became visible");
      }
      LockSupport.parkNanos(500_000);
    }
  }

  private static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private record Result(
      String guarantee,
      long backlog,
      double produceRate,
      Throughput ingest,
      boolean learnedAll,
      long learned,
      List<Freshness> freshness) {}

  private void printTable(PrintWriter out, List<Result> results) {
    out.println();
    out.printf(Locale.ROOT, "%-16s %9s %12s %14s %12s %6s %8s %11s %11s %7s %8s %8s %8s%n",
        "guarantee", "backlog", "produced/s", "ingest steps/s", "per-thr-CPU", "cores",
        "learned", "load/s", "trainer/s", "probes", "p50 ms", "p99 ms", "max ms");
    for (Result r : results) {
      String head = String.format(Locale.ROOT, "%-16s %9d %12.0f %14.0f %12.0f %6.2f %8s",
          r.guarantee, r.backlog, r.produceRate, r.ingest.stepsPerSecond,
          r.ingest.stepsPerThreadCpuSecond, r.ingest.coresUsed,
          r.learnedAll ? "all" : Long.toString(r.learned));
      if (r.freshness.isEmpty()) {
        out.println(head);
      }
      for (Freshness f : r.freshness) {
        out.printf(Locale.ROOT, "%s %11d %11.0f %7d %8.1f %8.1f %8.1f%n", head, f.loadRate,
            f.trainerRate, f.probes, f.p50Ms, f.p99Ms, f.maxMs);
      }
    }
    out.flush();
  }

  private static double seconds(long nanos) {
    return Math.max(nanos, 1) / 1e9;
  }

  private static void deleteQuietly(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a leftover temp folder is harmless
    }
  }

  /**
   * Step telemetry of {@code engines} engines of one run, round robin, each engine's step index
   * and start time increasing; compositions from a seeded random so runs are repeatable. Probe
   * engines are separate so a probe's index is never overtaken by load.
   */
  private static final class StepSource {
    private final AvroRecordCodec<StepTelemetry> codec =
        new AvroRecordCodec<>(StepTelemetry.class, (SchemaRegistryClient) null);
    private final String[] ids;
    private final long[] nextIndex;
    private final String[] probeIds = new String[PROBE_ENGINES];
    private final long[] probeIndex = new long[PROBE_ENGINES];
    private final Random random;
    private int cursor;
    long lastProbeIndex;

    StepSource(String tag, int engines, long seed) {
      ids = new String[engines];
      for (int e = 0; e < engines; e++) {
        ids[e] = tag + "-e" + e;
      }
      for (int p = 0; p < PROBE_ENGINES; p++) {
        probeIds[p] = tag + "-probe" + p;
      }
      nextIndex = new long[engines];
      random = new Random(seed);
    }

    /** The next load step; called from one thread at a time. */
    ProducerRecord<String, byte[]> next() {
      int e = cursor;
      cursor = (cursor + 1) % ids.length;
      return record(ids[e], nextIndex[e]++);
    }

    /** The next probe step of probe engine {@code p}; its index is left in {@link #lastProbeIndex}. */
    ProducerRecord<String, byte[]> probe(int p) {
      lastProbeIndex = probeIndex[p]++;
      return record(probeIds[p], lastProbeIndex);
    }

    private ProducerRecord<String, byte[]> record(String engine, long index) {
      int prefill;
      int decodes;
      long context;
      synchronized (random) {
        prefill = random.nextBoolean() ? 0 : 64 + random.nextInt(1024);
        decodes = 1 + random.nextInt(64);
        context = (long) decodes * (100 + random.nextInt(900));
      }
      long durationUs = 9_000 + 40L * prefill + 20L * decodes + context / 50;
      StepTelemetry step = StepTelemetry.newBuilder()
          .setEngineId(engine).setStepIndex(index).setStartTimeMs(START_TIME_MS + index * 20L)
          .setDurationUs(durationUs).setPrefillTokens(prefill)
          .setPrefillChunks(prefill == 0 ? 0 : 1)
          .setPrefillChunkSqSum((long) prefill * prefill).setPrefillCachedContext(0)
          .setDecodeSeqs(decodes).setDecodeContextSum(context).setKvBlocksUsed(100)
          .setKvBlocksTotal(4000).setWaiting(1).setRunning(decodes).setPreemptions(0)
          .build();
      return new ProducerRecord<>(STEPS_TOPIC, engine, codec.encode(SUBJECT, step));
    }
  }
}
