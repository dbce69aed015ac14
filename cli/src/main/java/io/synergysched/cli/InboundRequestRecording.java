package io.synergysched.cli;

import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.RecordedRecord;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.simulator.trace.TraceFormatException;
import io.synergysched.simulator.trace.TraceRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads the {@code synergy.requests.inbound} records of a {@code synergysched record} file as a
 * simulator trace (trace format {@code recording}), so recorded production traffic replays offline
 * against any policy. Each {@link InferenceRequest} becomes one request:
 *
 * <ul>
 *   <li>arrival: {@code arrivalTimeMs} (the loader re-bases it to the first request);
 *   <li>prompt: {@code promptTokens}; per-request SLOs: {@code sloTtftMs}, {@code sloTpotMs} (the
 *       scenario's apply where they are null); session: {@code sessionId};
 *   <li>output length: what the engine produced, from the request's {@code FINISHED} event when the
 *       file also holds {@code synergy.engine.requests}; else the client's {@code
 *       expectedOutputTokens}; else {@code maxOutputTokens} (each capped at the maximum);
 *   <li>prefix hashes: {@code prefixBlockHashes} at 512 tokens a block, as the simulator's; a
 *       finer block size that divides 512 keeps the hash that ends each 512-token block.
 * </ul>
 *
 * A request id recorded twice (a producer retry) counts once, its first record. {@code priority}
 * and {@code model} are not simulated.
 */
final class InboundRequestRecording {

  private static final int SIMULATOR_BLOCK_TOKENS = 512;

  private InboundRequestRecording() {}

  /** @throws TraceFormatException naming the record that cannot be read */
  static List<TraceRequest> read(Path file) {
    String inbound = Topics.REQUESTS_INBOUND.name();
    String events = Topics.ENGINE_REQUESTS.name();
    AvroRecordCodec<InferenceRequest> requestCodec =
        new AvroRecordCodec<>(InferenceRequest.class, (SchemaRegistryClient) null);
    AvroRecordCodec<RequestEvent> eventCodec = new AvroRecordCodec<>(RequestEvent.class, (SchemaRegistryClient) null);
    List<InferenceRequest> requests = new ArrayList<>();
    List<Long> recordNumbers = new ArrayList<>();
    Map<String, Integer> producedTokens = new HashMap<>();
    Set<String> topics = new LinkedHashSet<>();
    try (DataFileReader<RecordedRecord> in =
        new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(RecordedRecord.class))) {
      long number = 0;
      for (RecordedRecord r : in) {
        number++;
        topics.add(r.getTopic());
        if (r.getValue() == null) {
          continue;
        }
        try {
          if (r.getTopic().equals(inbound)) {
            requests.add(requestCodec.decode(inbound, r.getPartition(), r.getOffset(), TopicRecording.bytes(r.getValue())));
            recordNumbers.add(number);
          } else if (r.getTopic().equals(events)) {
            RequestEvent e = eventCodec.decode(events, r.getPartition(), r.getOffset(), TopicRecording.bytes(r.getValue()));
            if (e.getType() == RequestEventType.FINISHED && e.getOutputTokens() > 0) {
              producedTokens.put(e.getRequestId(), e.getOutputTokens());
            }
          }
        } catch (SerializationException e) {
          throw new TraceFormatException(file, number, "record " + number + " of " + r.getTopic()
              + " (partition " + r.getPartition() + ", offset " + r.getOffset() + "): " + e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new TraceFormatException(file, 0, "not a synergysched record file: " + e.getMessage());
    }
    if (requests.isEmpty()) {
      throw new TraceFormatException(file, 0, "no " + inbound + " records; the file holds " + topics);
    }
    List<TraceRequest> trace = new ArrayList<>(requests.size());
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < requests.size(); i++) {
      InferenceRequest q = requests.get(i);
      if (seen.add(q.getRequestId())) {
        trace.add(toTrace(q, producedTokens.get(q.getRequestId()), file, recordNumbers.get(i)));
      }
    }
    return trace;
  }

  private static TraceRequest toTrace(InferenceRequest q, Integer produced, Path file, long number) {
    String where = "request " + q.getRequestId() + ": ";
    if (q.getPromptTokens() < 1) {
      throw new TraceFormatException(file, number, where + "promptTokens must be >= 1, got " + q.getPromptTokens());
    }
    if (q.getMaxOutputTokens() < 1) {
      throw new TraceFormatException(file, number,
          where + "maxOutputTokens must be >= 1, got " + q.getMaxOutputTokens());
    }
    int output = produced != null ? produced
        : q.getExpectedOutputTokens() != null && q.getExpectedOutputTokens() >= 1 ? q.getExpectedOutputTokens()
        : q.getMaxOutputTokens();
    output = Math.min(output, q.getMaxOutputTokens());
    return new TraceRequest(q.getArrivalTimeMs(), q.getPromptTokens(), output,
        q.getSloTtftMs() == null ? Double.NaN : q.getSloTtftMs(),
        q.getSloTpotMs() == null ? Double.NaN : q.getSloTpotMs(),
        q.getSessionId(), hashes(q, file, number, where));
  }

  private static long[] hashes(InferenceRequest q, Path file, long number, String where) {
    List<Long> hashes = q.getPrefixBlockHashes();
    int size = q.getPrefixBlockSizeTokens();
    if (hashes.isEmpty()) {
      return new long[0];
    }
    if (size < 1 || SIMULATOR_BLOCK_TOKENS % size != 0) {
      throw new TraceFormatException(file, number, where + "prefixBlockSizeTokens " + size
          + " does not divide the simulator's " + SIMULATOR_BLOCK_TOKENS + "-token hash blocks");
    }
    int every = SIMULATOR_BLOCK_TOKENS / size;
    // a block's hash covers the whole prefix up to it, so the hash at the end of each 512-token
    // block identifies that 512-token prefix; a trailing partial block keeps its last hash
    int count = (hashes.size() + every - 1) / every;
    long[] out = new long[count];
    for (int k = 0; k < count; k++) {
      out[k] = hashes.get(Math.min((k + 1) * every, hashes.size()) - 1);
    }
    return out;
  }
}
