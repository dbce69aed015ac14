package io.synergysched.topologies.telemetry;

import io.synergysched.core.model.StepLatencyModelState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Exact binary form of a {@link StepLatencyModelState}: the state store's value, the changelog's
 * record and the opaque {@code state} of a published {@code PerformanceModel}. Doubles are written
 * bit for bit, so a restored model continues exactly where it stopped. Layout: the state's format
 * version (int), then its fields in declaration order; arrays carry their length.
 */
public final class ModelStateSerde extends BinarySerde<StepLatencyModelState> {

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
    return out.array();
  }

  @Override
  public StepLatencyModelState deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
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
