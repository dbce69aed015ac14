package io.synergysched.simulator.profile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Attention kernel times per layer: decode by (batch size, per-request context) and prefill by
 * (chunk size, cached context), from Vidur's attention profile, interpolated between grid points.
 *
 * <p>When the model has no measured attention profile, the reference profile (70B-class heads at
 * TP 2 on A100: 32 query and 4 KV heads of dimension 128 per GPU) is scaled by attention work per
 * GPU: decode reads the KV cache, so it scales with KV heads x head dimension and inversely with
 * memory bandwidth; prefill is compute-bound, so it scales with query heads x head dimension and
 * inversely with fp16 throughput. Only the part above the kernel-launch floor (the smallest time
 * in the table) is scaled, since launching a kernel costs the same whatever its size.
 */
final class AttentionProfile {

  private static final int KV_ROUNDING = ProfiledStepLatency.KV_ROUNDING;

  private final String source;
  private final double decodeScale;
  private final double prefillScale;

  // decode: dense [batch 1..maxBatch] x [kv 64, 128, ..., kvSteps*64]
  private final int maxBatch;
  private final int kvSteps;
  private final double[] decodeTable;

  // prefill: one row per measured chunk size
  private final double[] chunkSizes;
  private final PiecewiseLinear[] prefillRows;
  private final double[] rowMaxKv;
  private final double prefillFloor;

  private AttentionProfile(
      String source,
      double decodeScale,
      double prefillScale,
      int maxBatch,
      int kvSteps,
      double[] decodeTable,
      double[] chunkSizes,
      PiecewiseLinear[] prefillRows,
      double[] rowMaxKv,
      double prefillFloor) {
    this.source = source;
    this.decodeScale = decodeScale;
    this.prefillScale = prefillScale;
    this.maxBatch = maxBatch;
    this.kvSteps = kvSteps;
    this.decodeTable = decodeTable;
    this.chunkSizes = chunkSizes;
    this.prefillRows = prefillRows;
    this.rowMaxKv = rowMaxKv;
    this.prefillFloor = prefillFloor;
  }

  static AttentionProfile load(
      ProfileDirectory directory, ModelSpec model, DeviceSpec device, int tp, boolean monotone) {
    Path measured = directory.measuredAttentionFile(device.name(), model);
    if (measured != null) {
      CsvTable table = CsvTable.read(measured);
      return build(table, tp, 1.0, 1.0, "measured " + measured, monotone);
    }
    Path reference = directory.referenceAttentionFile();
    CsvTable table = CsvTable.read(reference);
    int refTp = (int) table.number(0, table.column("num_tensor_parallel_workers"));
    int refQ = (int) table.number(0, table.column("n_q_head")) / refTp;
    int refKv = (int) table.number(0, table.column("n_kv_head")) / refTp;
    int refHeadDim =
        (int) table.number(0, table.column("n_embd")) / (int) table.number(0, table.column("n_q_head"));
    DeviceSpec refDevice = directory.device(directory.referenceAttentionDevice());
    int q = Math.max(1, model.numQHeads() / tp);
    int kv = Math.max(1, model.numKvHeads() / tp);
    double decodeScale = (double) (kv * model.headDim()) / (refKv * refHeadDim)
        * refDevice.memoryBandwidthGbps() / device.memoryBandwidthGbps();
    double prefillScale = (double) (q * model.headDim()) / (refQ * refHeadDim)
        * refDevice.fp16Tflops() / device.fp16Tflops();
    String source = String.format(
        java.util.Locale.ROOT,
        "scaled from %s (decode x%.3f, prefill x%.3f above the launch floor)",
        reference, decodeScale, prefillScale);
    return build(table, refTp, decodeScale, prefillScale, source, monotone);
  }

  private static AttentionProfile build(
      CsvTable table, int tp, double decodeScale, double prefillScale, String source, boolean monotone) {
    int colPrefill = table.column("is_prefill");
    int colBatch = table.column("batch_size");
    int colChunk = table.column("prefill_chunk_size");
    int colKv = table.column("kv_cache_size");
    int colDecode = table.column("time_stats.attn_decode.median");
    int colPrefillTime = table.column("time_stats.attn_prefill.median");
    int colTp = table.hasColumn("num_tensor_parallel_workers")
        ? table.column("num_tensor_parallel_workers") : -1;
    // (batch -> kv -> {sum, count}) and (chunk -> kv -> {sum, count}); duplicates are averaged
    TreeMap<Integer, TreeMap<Integer, double[]>> decode = new TreeMap<>();
    TreeMap<Integer, TreeMap<Integer, double[]>> prefill = new TreeMap<>();
    for (int r = 0; r < table.rowCount(); r++) {
      if (colTp >= 0 && (int) table.number(r, colTp) != tp) {
        continue;
      }
      boolean isPrefill = Boolean.parseBoolean(table.text(r, colPrefill));
      int kv = (int) table.number(r, colKv);
      if (isPrefill) {
        double t = table.number(r, colPrefillTime);
        if (!Double.isNaN(t)) {
          accumulate(prefill, (int) table.number(r, colChunk), kv, t);
        }
      } else {
        double t = table.number(r, colDecode);
        if (!Double.isNaN(t)) {
          accumulate(decode, (int) table.number(r, colBatch), kv, t);
        }
      }
    }
    if (decode.isEmpty() || prefill.isEmpty()) {
      throw new IllegalArgumentException(
          table.file() + ": no decode or no prefill rows for tensor parallel " + tp);
    }

    int maxBatch = decode.lastKey();
    int maxKv = 0;
    for (TreeMap<Integer, double[]> row : decode.values()) {
      maxKv = Math.max(maxKv, row.lastKey());
    }
    int kvSteps = maxKv / KV_ROUNDING;
    List<Integer> batches = new ArrayList<>(decode.keySet());
    PiecewiseLinear[] decodeRows = new PiecewiseLinear[batches.size()];
    for (int i = 0; i < batches.size(); i++) {
      decodeRows[i] = row(decode.get(batches.get(i)));
    }
    double[] dense = new double[(maxBatch + 1) * kvSteps];
    for (int b = 1; b <= maxBatch; b++) {
      int hi = 0;
      while (batches.get(hi) < b) {
        hi++;
      }
      int lo = batches.get(hi) == b ? hi : Math.max(0, hi - 1);
      double f = lo == hi ? 0 : (double) (b - batches.get(lo)) / (batches.get(hi) - batches.get(lo));
      for (int j = 0; j < kvSteps; j++) {
        double kv = (j + 1) * (double) KV_ROUNDING;
        double a = decodeRows[lo].value(kv);
        dense[b * kvSteps + j] = a + f * (decodeRows[hi].value(kv) - a);
      }
    }
    if (monotone) {
      double[][] grid = new double[maxBatch][kvSteps];
      for (int b = 1; b <= maxBatch; b++) {
        System.arraycopy(dense, b * kvSteps, grid[b - 1], 0, kvSteps);
      }
      MonotoneFit.fitGrid(grid);
      for (int b = 1; b <= maxBatch; b++) {
        System.arraycopy(grid[b - 1], 0, dense, b * kvSteps, kvSteps);
      }
    }
    double[] decodeOnly = Arrays.copyOfRange(dense, kvSteps, dense.length);
    double decodeFloor = Arrays.stream(decodeOnly).min().orElse(0);
    for (int i = kvSteps; i < dense.length; i++) {
      dense[i] = decodeFloor + (dense[i] - decodeFloor) * decodeScale;
    }

    int rows = prefill.size();
    double[] chunkSizes = new double[rows];
    double[][] rowKv = new double[rows][];
    double[][] rowValues = new double[rows][];
    int r = 0;
    for (Map.Entry<Integer, TreeMap<Integer, double[]>> entry : prefill.entrySet()) {
      chunkSizes[r] = entry.getKey();
      TreeMap<Integer, double[]> points = entry.getValue();
      rowKv[r] = points.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
      rowValues[r] = points.values().stream().mapToDouble(p -> p[0] / p[1]).toArray();
      if (r > 0 && !isPrefix(rowKv[r], rowKv[r - 1])) {
        throw new IllegalArgumentException(table.file()
            + ": prefill cached-context grid of chunk " + entry.getKey()
            + " is not a prefix of the previous chunk's grid");
      }
      r++;
    }
    if (monotone) {
      MonotoneFit.fitGrid(rowValues);
    }
    PiecewiseLinear[] prefillRows = new PiecewiseLinear[rows];
    double[] rowMaxKv = new double[rows];
    double prefillFloor = Double.POSITIVE_INFINITY;
    for (int i = 0; i < rows; i++) {
      prefillRows[i] = new PiecewiseLinear(rowKv[i], rowValues[i]);
      rowMaxKv[i] = rowKv[i][rowKv[i].length - 1];
      for (double v : rowValues[i]) {
        prefillFloor = Math.min(prefillFloor, v);
      }
    }
    return new AttentionProfile(
        source, decodeScale, prefillScale, maxBatch, kvSteps, dense, chunkSizes, prefillRows,
        rowMaxKv, prefillFloor);
  }

  private static boolean isPrefix(double[] shorter, double[] longer) {
    if (shorter.length > longer.length) {
      return false;
    }
    for (int i = 0; i < shorter.length; i++) {
      if (shorter[i] != longer[i]) {
        return false;
      }
    }
    return true;
  }

  private static void accumulate(
      TreeMap<Integer, TreeMap<Integer, double[]>> grid, int key, int kv, double value) {
    double[] cell = grid.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(kv, k -> new double[2]);
    cell[0] += value;
    cell[1] += 1;
  }

  private static PiecewiseLinear row(TreeMap<Integer, double[]> points) {
    double[] xs = points.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
    double[] ys = points.values().stream().mapToDouble(p -> p[0] / p[1]).toArray();
    return new PiecewiseLinear(xs, ys);
  }

  /**
   * Decode attention for {@code batch} requests whose contexts average {@code meanContext}, ms per
   * layer. The context is rounded up to 64 as Vidur does. Beyond the grid (more than the largest
   * batch or context measured) the time grows in proportion to the KV bytes read.
   */
  double decodeMs(int batch, double meanContext) {
    int kvIndex = (int) Math.ceil(meanContext / KV_ROUNDING);
    if (kvIndex < 1) {
      kvIndex = 1;
    }
    if (batch <= maxBatch && kvIndex <= kvSteps) {
      return decodeTable[batch * kvSteps + kvIndex - 1];
    }
    int b = Math.min(batch, maxBatch);
    int k = Math.min(kvIndex, kvSteps);
    return decodeTable[b * kvSteps + k - 1] * ((double) batch / b) * ((double) kvIndex / k);
  }

  /**
   * Prefill attention for an aggregated chunk of {@code chunk} tokens behind {@code cached}
   * cached tokens, ms per layer. Outside the measured region (chunk + context above the profiled
   * model length) the time grows with the causal attention work chunk x (cached + chunk / 2).
   */
  double prefillMs(double chunk, double cached) {
    double raw;
    int last = chunkSizes.length - 1;
    if (chunk <= chunkSizes[0]) {
      raw = rowValue(0, cached);
    } else if (chunk >= chunkSizes[last]) {
      raw = rowValue(last, cached) * work(chunk, cached) / work(chunkSizes[last], cached);
    } else {
      int hi = Arrays.binarySearch(chunkSizes, chunk);
      if (hi >= 0) {
        raw = rowValue(hi, cached);
      } else {
        hi = -hi - 1;
        int lo = hi - 1;
        double f = (chunk - chunkSizes[lo]) / (chunkSizes[hi] - chunkSizes[lo]);
        double a = rowValue(lo, cached);
        raw = a + f * (rowValue(hi, cached) - a);
      }
    }
    return prefillFloor + (raw - prefillFloor) * prefillScale;
  }

  private double rowValue(int row, double cached) {
    if (cached <= rowMaxKv[row]) {
      return prefillRows[row].value(cached);
    }
    double c = chunkSizes[row];
    return prefillRows[row].lastY() * work(c, cached) / work(c, rowMaxKv[row]);
  }

  private static double work(double chunk, double cached) {
    return chunk * (cached + chunk / 2);
  }

  String source() {
    return source;
  }

  double decodeScale() {
    return decodeScale;
  }

  double prefillScale() {
    return prefillScale;
  }
}
