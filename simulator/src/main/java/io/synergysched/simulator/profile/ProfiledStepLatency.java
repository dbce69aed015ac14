package io.synergysched.simulator.profile;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One engine step's GPU time composed from Vidur's measured per-layer profiles, following the
 * recipe of the data README (Vidur's own predictor with interpolation instead of a regressor):
 *
 * <pre>
 * T        = prefill tokens + decodes, rounded up to 8
 * per layer = linear ops(T) + prefill attention(sqrt(sum c^2), sum roundup64(k)) x (1.1 if &gt;1 chunk)
 *           + decode attention(|D|, roundup64(mean context)) x (1.1 if &gt;1 decode)
 *           + 2 x (all-reduce(T x embedding x 2 bytes) + 0.02 ms)       [TP &gt; 1]
 * step     = layers x per layer [+ CPU overhead by batch size]
 * </pre>
 *
 * Linear ops and all-reduce depend on T alone, so they are precomputed per multiple of 8 up to
 * {@value #DENSE_MAX_TOKENS} tokens; a step then costs two table reads and one small binary search.
 * Immutable and thread-safe.
 */
public final class ProfiledStepLatency {

  static final int TOKEN_ROUNDING = 8;
  static final int KV_ROUNDING = 64;
  static final int DENSE_MAX_TOKENS = 32768;
  private static final double MULTI_REQUEST_ATTENTION_FACTOR = 1.1;
  private static final double NCCL_LAUNCH_MS = 0.02;
  private static final List<String> LINEAR_OPS = List.of(
      "attn_pre_proj", "attn_post_proj", "attn_rope", "mlp_up_proj", "mlp_act", "mlp_down_proj",
      "input_layernorm", "post_attention_layernorm", "add");

  private static final Map<String, ProfiledStepLatency> LOADED = new ConcurrentHashMap<>();

  private final EngineSpec spec;
  private final ModelSpec model;
  private final DeviceSpec device;
  private final int layers;
  private final PiecewiseLinear linearOps;
  private final PiecewiseLinear allReduce;
  private final double[] denseLinearAndComm;
  private final AttentionProfile attention;
  private final PiecewiseLinear cpuOverhead;

  private ProfiledStepLatency(
      EngineSpec spec,
      ModelSpec model,
      DeviceSpec device,
      PiecewiseLinear linearOps,
      PiecewiseLinear allReduce,
      AttentionProfile attention,
      PiecewiseLinear cpuOverhead) {
    this.spec = spec;
    this.model = model;
    this.device = device;
    this.layers = model.numLayers();
    this.linearOps = linearOps;
    this.allReduce = allReduce;
    this.attention = attention;
    this.cpuOverhead = cpuOverhead;
    this.denseLinearAndComm = new double[DENSE_MAX_TOKENS / TOKEN_ROUNDING + 1];
    for (int i = 1; i < denseLinearAndComm.length; i++) {
      denseLinearAndComm[i] = linearAndComm(i * TOKEN_ROUNDING);
    }
  }

  /** Loads (once per directory, engine and options; later calls share the instance). */
  public static ProfiledStepLatency load(
      ProfileDirectory directory, EngineSpec spec, ProfileOptions options) {
    String key = directory.root() + "|" + spec + "|" + options;
    return LOADED.computeIfAbsent(key, k -> build(directory, spec, options));
  }

  private static ProfiledStepLatency build(
      ProfileDirectory directory, EngineSpec spec, ProfileOptions options) {
    DeviceSpec device = directory.device(spec.gpu());
    ModelSpec model = directory.model(spec.model());
    int tp = spec.tensorParallel();
    if (model.numQHeads() % tp != 0 || model.numKvHeads() % tp != 0 && tp % model.numKvHeads() != 0) {
      throw new IllegalArgumentException(
          "tp " + tp + " does not divide the heads of " + model.name());
    }
    PiecewiseLinear linear = linearOps(directory.mlpFile(spec.gpu(), model), tp, options.monotone());
    PiecewiseLinear allReduce = tp > 1 ? allReduce(directory, spec) : null;
    AttentionProfile attention =
        AttentionProfile.load(directory, model, device, tp, options.monotone());
    PiecewiseLinear cpu = options.cpuOverhead() ? cpuOverhead(directory, model, tp) : null;
    return new ProfiledStepLatency(spec, model, device, linear, allReduce, attention, cpu);
  }

  private static PiecewiseLinear linearOps(Path file, int tp, boolean monotone) {
    CsvTable table = CsvTable.read(file);
    int colTokens = table.column("num_tokens");
    int colTp = table.column("num_tensor_parallel_workers");
    int[] opColumns = LINEAR_OPS.stream()
        .mapToInt(op -> table.column("time_stats." + op + ".median")).toArray();
    TreeMap<Integer, double[]> points = new TreeMap<>();
    for (int r = 0; r < table.rowCount(); r++) {
      if ((int) table.number(r, colTp) != tp) {
        continue;
      }
      double sum = 0;
      for (int c : opColumns) {
        sum += table.number(r, c);
      }
      double[] cell = points.computeIfAbsent((int) table.number(r, colTokens), k -> new double[2]);
      cell[0] += sum;
      cell[1] += 1;
    }
    if (points.isEmpty()) {
      throw new IllegalArgumentException(file + ": no rows for num_tensor_parallel_workers=" + tp);
    }
    return averaged(points, monotone);
  }

  /**
   * All-reduce by message size, always fitted monotone: its medians below about 1 MB swing
   * between 0.01 and 0.06 ms from one size to the next, which is measurement noise, not a
   * property of the interconnect.
   */
  private static PiecewiseLinear allReduce(ProfileDirectory directory, EngineSpec spec) {
    int tp = spec.tensorParallel();
    for (Path file : directory.allReduceFiles(spec.gpu())) {
      CsvTable table = CsvTable.read(file);
      int colWorkers = table.column("num_workers");
      int colDevices = table.column("devices_per_node");
      int colSize = table.column("size");
      int colMedian = table.column("time_stats.all_reduce.median");
      TreeMap<Integer, double[]> points = new TreeMap<>();
      for (int r = 0; r < table.rowCount(); r++) {
        if ((int) table.number(r, colWorkers) == tp && (int) table.number(r, colDevices) == tp) {
          double[] cell = points.computeIfAbsent((int) table.number(r, colSize), k -> new double[2]);
          cell[0] += table.number(r, colMedian);
          cell[1] += 1;
        }
      }
      if (!points.isEmpty()) {
        return averaged(points, true);
      }
    }
    throw new IllegalArgumentException(
        "no all-reduce profile with num_workers = devices_per_node = " + tp + " for gpu '"
            + spec.gpu() + "' under network/");
  }

  private static PiecewiseLinear cpuOverhead(ProfileDirectory directory, ModelSpec model, int tp) {
    CsvTable table = CsvTable.read(directory.cpuOverheadFile());
    int colModel = table.column("model_name");
    int colTp = table.column("tensor_parallel_degree");
    int colBatch = table.column("batch_size");
    String[] parts = {"schedule_median", "sampler_e2e_median", "prepare_inputs_e2e_median",
        "process_model_outputs_median", "ray_comm_time_mean"};
    TreeMap<Integer, double[]> points = new TreeMap<>();
    for (int r = 0; r < table.rowCount(); r++) {
      String name = table.text(r, colModel);
      if (!name.equals(model.profileName()) || (int) table.number(r, colTp) != tp) {
        continue;
      }
      double sum = 0;
      for (String part : parts) {
        sum += table.number(r, table.column(part));
      }
      double[] cell = points.computeIfAbsent((int) table.number(r, colBatch), k -> new double[2]);
      cell[0] += sum;
      cell[1] += 1;
    }
    if (points.isEmpty()) {
      throw new IllegalArgumentException(
          "cpu_overhead: no rows for " + model.profileName() + " at tp " + tp + " in "
              + directory.cpuOverheadFile());
    }
    return averaged(points, false);
  }

  private static PiecewiseLinear averaged(TreeMap<Integer, double[]> points, boolean monotone) {
    double[] xs = points.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
    double[] ys = points.values().stream().mapToDouble(p -> p[0] / p[1]).toArray();
    if (monotone) {
      MonotoneFit.fit(ys);
    }
    return new PiecewiseLinear(xs, ys);
  }

  private double linearAndComm(int roundedTokens) {
    double perLayer = linearOps.value(roundedTokens);
    if (allReduce != null) {
      double bytes = (double) roundedTokens * model.embeddingDim() * 2;
      perLayer += 2 * (allReduce.value(bytes) + NCCL_LAUNCH_MS);
    }
    return perLayer;
  }

  /** GPU time of a step with this batch, milliseconds; 0 for an empty batch. */
  public double stepMs(BatchComposition batch) {
    return stepMs(
        batch.prefillTokens(), batch.prefillChunks(), batch.chunkSqSum(),
        batch.cachedContextRoundedSum(), batch.decodes(), batch.decodeContextSum());
  }

  /**
   * @param prefillTokens sum of prefill chunk lengths
   * @param prefillChunks number of prefill chunks
   * @param chunkSqSum sum of squared chunk lengths
   * @param cachedRoundedSum sum over chunks of the cached context rounded up to 64
   * @param decodes number of decoding requests
   * @param decodeContextSum sum of the decodes' context lengths
   * @return step time, milliseconds
   */
  public double stepMs(
      int prefillTokens, int prefillChunks, long chunkSqSum, long cachedRoundedSum, int decodes,
      long decodeContextSum) {
    int total = prefillTokens + decodes;
    if (total <= 0) {
      return 0;
    }
    int rounded = (total + TOKEN_ROUNDING - 1) / TOKEN_ROUNDING * TOKEN_ROUNDING;
    double perLayer = rounded <= DENSE_MAX_TOKENS
        ? denseLinearAndComm[rounded / TOKEN_ROUNDING]
        : linearAndComm(rounded);
    if (prefillChunks > 0) {
      double t = attention.prefillMs(Math.rint(Math.sqrt((double) chunkSqSum)), cachedRoundedSum);
      perLayer += prefillChunks > 1 ? t * MULTI_REQUEST_ATTENTION_FACTOR : t;
    }
    if (decodes > 0) {
      double t = attention.decodeMs(decodes, (double) decodeContextSum / decodes);
      perLayer += decodes > 1 ? t * MULTI_REQUEST_ATTENTION_FACTOR : t;
    }
    double ms = layers * perLayer;
    if (cpuOverhead != null) {
      ms += cpuOverhead.value(prefillChunks + decodes);
    }
    return ms;
  }

  /** Both all-reduces of one layer at {@code tokens} (not rounded), launch included, ms. */
  double allReducesPerLayerMs(int tokens) {
    if (allReduce == null) {
      return 0;
    }
    return 2 * (allReduce.value((double) tokens * model.embeddingDim() * 2) + NCCL_LAUNCH_MS);
  }

  AttentionProfile attention() {
    return attention;
  }

  /** Linear ops per layer at {@code tokens} (not rounded), ms: for tests and docs. */
  double linearOpsPerLayerMs(int tokens) {
    return linearOps.value(tokens);
  }

  public EngineSpec spec() {
    return spec;
  }

  public ModelSpec model() {
    return model;
  }

  public DeviceSpec device() {
    return device;
  }

  /** Where the attention times come from: measured file, or the reference and its scaling. */
  public String attentionSource() {
    return attention.source();
  }
}
