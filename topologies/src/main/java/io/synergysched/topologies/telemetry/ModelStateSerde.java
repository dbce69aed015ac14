package io.synergysched.topologies.telemetry;

import io.synergysched.core.model.StepLatencyModelState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Exact binary form of a {@link StepLatencyModelState}: the state store's value, the changelog's
 * record and the opaque {@code state} of a published {@code PerformanceModel}. Doubles are written
 * bit for bit, so a restored model continues exactly where it stopped. Layout: the state's format
 * version (int), then its fields in declaration order; arrays carry their length.
 *
 * <p>The trainer reads an engine's state back from its (cached) store before every step, to check
 * that its live model is still what the store holds. The record cache hands back the very array
 * this serde produced at the previous put, so decoding it again (~1 KB, a fifth of a step's cost)
 * is skipped: an array this instance produced from a state is, by construction, that state, and
 * Kafka never writes into value arrays. The memo is a fixed table of recent (array, state) pairs
 * indexed by the array's identity hash, so it is bounded and allocates one pair per write (no weak
 * references, which would keep every state alive for a GC); a miss (an evicted slot, a restored
 * or remote array) is simply decoded as before. Thread-safe without locks: stream threads and
 * interactive queries share one instance.
 */
public final class ModelStateSerde extends BinarySerde<StepLatencyModelState> {

  /** Slots of the memo: more than the engines one instance usually owns, a few MB at most. */
  private static final int MEMO_SLOTS = 8192;

  private record Produced(byte[] bytes, StepLatencyModelState state) {}

  private final AtomicReferenceArray<Produced> produced = new AtomicReferenceArray<>(MEMO_SLOTS);

  @Override
  public byte[] serialize(String topic, StepLatencyModelState state) {
    if (state == null) {
      return null;
    }
    byte[] engineClass = state.engineClass().getBytes(StandardCharsets.UTF_8);
    double[][] arrays = arrays(state);
    int size = 4 + 4 + engineClass.length + 3 * 8 + 2 * 8 + 5 * 8;
    for (double[] array : arrays) {
      size += 4 + 8 * array.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putInt(state.formatVersion());
    out.putInt(engineClass.length).put(engineClass);
    out.putLong(state.modelVersion()).putLong(state.sampleCount()).putLong(state.rejectedCount());
    out.putDouble(state.effectiveSamples()).putDouble(state.kneeTokens());
    for (double[] array : arrays) {
      out.putInt(array.length);
      for (double value : array) {
        out.putDouble(value);
      }
    }
    out.putDouble(state.residualScale())
        .putDouble(state.meanLatencyMs())
        .putDouble(state.recentMape())
        .putDouble(state.recentSquaredErrorMs2())
        .putDouble(state.recentLatencyVarianceMs2());
    byte[] bytes = out.array();
    produced.set(slot(bytes), new Produced(bytes, state));
    return bytes;
  }

  @Override
  public StepLatencyModelState deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    Produced known = produced.get(slot(data));
    if (known != null && known.bytes() == data) {
      return known.state();
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(data);
      int format = in.getInt();
      byte[] engineClass = new byte[checkedLength(in.getInt(), in, 1)];
      in.get(engineClass);
      long version = in.getLong();
      long samples = in.getLong();
      long rejected = in.getLong();
      double effective = in.getDouble();
      double knee = in.getDouble();
      double[][] arrays = new double[6][];
      for (int i = 0; i < arrays.length; i++) {
        arrays[i] = new double[checkedLength(in.getInt(), in, 8)];
        for (int j = 0; j < arrays[i].length; j++) {
          arrays[i][j] = in.getDouble();
        }
      }
      StepLatencyModelState state =
          new StepLatencyModelState(
              format,
              new String(engineClass, StandardCharsets.UTF_8),
              version,
              samples,
              rejected,
              effective,
              knee,
              arrays[0],
              arrays[1],
              arrays[2],
              arrays[3],
              arrays[4],
              arrays[5],
              in.getDouble(),
              in.getDouble(),
              in.getDouble(),
              in.getDouble(),
              in.getDouble());
      if (in.hasRemaining()) {
        throw new SerializationException(in.remaining() + " trailing bytes after a model state");
      }
      return state;
    } catch (RuntimeException e) {
      if (e instanceof SerializationException) {
        throw e;
      }
      throw new SerializationException("invalid model state in topic " + topic + ": " + e, e);
    }
  }

  private static int slot(byte[] bytes) {
    return System.identityHashCode(bytes) & (MEMO_SLOTS - 1);
  }

  private static double[][] arrays(StepLatencyModelState state) {
    return new double[][] {
      state.coefficients(),
      state.information(),
      state.weightedTargets(),
      state.typicalInformation(),
      state.correctionMs(),
      state.correctionVisits()
    };
  }

  private static int checkedLength(int length, ByteBuffer in, int elementSize) {
    if (length < 0 || (long) length * elementSize > in.remaining()) {
      throw new SerializationException("invalid array length " + length + " in a model state");
    }
    return length;
  }
}
