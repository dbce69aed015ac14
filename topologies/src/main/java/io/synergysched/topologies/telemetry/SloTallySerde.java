package io.synergysched.topologies.telemetry;

import io.synergysched.runtime.mapping.BinarySerde;
import io.synergysched.core.slo.SloTally;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/** Binary form of an open {@link SloTally} for the SLO-window store; a leading format byte. */
public final class SloTallySerde extends BinarySerde<SloTally> {

  private static final byte FORMAT = 1;

  @Override
  public byte[] serialize(String topic, SloTally t) {
    if (t == null) {
      return null;
    }
    ByteBuffer out = ByteBuffer.allocate(1 + 8 + 5 * 4 + 2 * 4 * SloTally.BUCKETS);
    out.put(FORMAT).putLong(t.windowStartMs());
    out.putInt(t.finished()).putInt(t.ttftMet()).putInt(t.tpotMet()).putInt(t.bothMet())
        .putInt(t.rejected());
    for (int count : t.ttftHistogram()) {
      out.putInt(count);
    }
    for (int count : t.tpotHistogram()) {
      out.putInt(count);
    }
    return out.array();
  }

  @Override
  public SloTally deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (data.length != 1 + 8 + 5 * 4 + 2 * 4 * SloTally.BUCKETS || data[0] != FORMAT) {
      throw new SerializationException("not an SLO tally (format or length differs)");
    }
    ByteBuffer in = ByteBuffer.wrap(data, 1, data.length - 1);
    long start = in.getLong();
    int finished = in.getInt();
    int ttftMet = in.getInt();
    int tpotMet = in.getInt();
    int bothMet = in.getInt();
    int rejected = in.getInt();
    int[] ttft = new int[SloTally.BUCKETS];
    int[] tpot = new int[SloTally.BUCKETS];
    for (int i = 0; i < ttft.length; i++) {
      ttft[i] = in.getInt();
    }
    for (int i = 0; i < tpot.length; i++) {
      tpot[i] = in.getInt();
    }
    return new SloTally(start, finished, ttftMet, tpotMet, bothMet, rejected, ttft, tpot);
  }
}
