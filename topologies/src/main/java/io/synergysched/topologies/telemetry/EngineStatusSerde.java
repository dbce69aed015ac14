package io.synergysched.topologies.telemetry;

import io.synergysched.runtime.mapping.BinarySerde;
import io.synergysched.core.telemetry.EngineStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;

/** Binary form of {@link EngineStatus} for the engine-status store; a leading format byte. */
public final class EngineStatusSerde extends BinarySerde<EngineStatus> {

  private static final byte FORMAT = 1;

  @Override
  public byte[] serialize(String topic, EngineStatus s) {
    if (s == null) {
      return null;
    }
    byte[] id = s.engineId().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + 4 + id.length + 7 * 8 + 7 * 4)
        .put(FORMAT)
        .putInt(id.length)
        .put(id)
        .putLong(s.stepsSeen())
        .putLong(s.lastStepIndex())
        .putLong(s.lastStepStartMs())
        .putLong(s.lastStepEndMs())
        .putLong(s.lastDurationUs())
        .putInt(s.waiting())
        .putInt(s.running())
        .putInt(s.kvBlocksUsed())
        .putInt(s.kvBlocksTotal())
        .putInt(s.lastPrefillTokens())
        .putInt(s.lastDecodeSeqs())
        .putLong(s.lastDecodeContextSum())
        .putInt(s.tokenBudget())
        .putLong(s.preemptionsTotal())
        .array();
  }

  @Override
  public EngineStatus deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(data);
      byte format = in.get();
      if (format != FORMAT) {
        throw new SerializationException("unknown engine status format " + format);
      }
      int length = in.getInt();
      if (length < 0 || length > in.remaining()) {
        throw new SerializationException("invalid engine id length " + length);
      }
      byte[] id = new byte[length];
      in.get(id);
      return new EngineStatus(
          new String(id, StandardCharsets.UTF_8),
          in.getLong(),
          in.getLong(),
          in.getLong(),
          in.getLong(),
          in.getLong(),
          in.getInt(),
          in.getInt(),
          in.getInt(),
          in.getInt(),
          in.getInt(),
          in.getInt(),
          in.getLong(),
          in.getInt(),
          in.getLong());
    } catch (RuntimeException e) {
      if (e instanceof SerializationException) {
        throw e;
      }
      throw new SerializationException("invalid engine status in topic " + topic + ": " + e, e);
    }
  }
}
