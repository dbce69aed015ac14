package io.synergysched.topologies.telemetry;

import io.synergysched.runtime.mapping.TelemetryMapping;
import io.synergysched.core.slo.SloTally;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.topologies.DeadLetters;
import io.synergysched.topologies.StoreNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Request events become SLO attainment windows per engine: tumbling windows of event time; a
 * window is published when an event of a later window arrives for the engine, or when stream time
 * passes its end plus the grace period (an engine that went quiet). An event older than the open
 * window is counted in the open window rather than lost. Invalid events are dead-lettered.
 */
final class RequestEventProcessor implements Processor<String, byte[], String, Object> {

  static final String STAGE = "model-trainer/ingest-request-event";

  private final AvroRecordCodec<RequestEvent> codec;
  private final long windowMs;
  private final long graceMs;

  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, SloTally> windows;

  RequestEventProcessor(TelemetryTopologyConfig config, AvroRecordCodec<RequestEvent> codec) {
    this.codec = codec;
    this.windowMs = config.sloWindowSize().toMillis();
    this.graceMs = config.sloWindowGrace().toMillis();
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.windows = context.getStateStore(StoreNames.SLO_WINDOWS);
    context.schedule(
        Duration.ofMillis(Math.max(1, windowMs)), PunctuationType.STREAM_TIME, this::closeExpired);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    RequestEvent event =
        DeadLetters.decodeOrForward(
            context, record, codec, STAGE, TelemetryTopology.DEAD_LETTER_SINK);
    if (event == null) {
      return;
    }
    String problem = problem(event);
    if (problem != null) {
      DeadLetters.forward(context, record, STAGE, problem, null, TelemetryTopology.DEAD_LETTER_SINK);
      return;
    }
    if (event.getType() != RequestEventType.FINISHED
        && event.getType() != RequestEventType.REJECTED) {
      return;
    }
    String engineId = event.getEngineId();
    long start = Math.floorDiv(event.getEventTimeMs(), windowMs) * windowMs;
    SloTally tally = windows.get(engineId);
    if (tally == null) {
      tally = new SloTally(start);
    } else if (start > tally.windowStartMs()) {
      publish(engineId, tally, record.timestamp());
      tally = new SloTally(start);
    }
    if (event.getType() == RequestEventType.REJECTED) {
      tally.recordRejected();
    } else {
      tally.recordFinished(
          event.getTtftUs() / 1000.0,
          event.getTpotUs() == null ? Double.NaN : event.getTpotUs() / 1000.0,
          event.getSloTtftMs() == null ? Double.NaN : event.getSloTtftMs(),
          event.getSloTpotMs() == null ? Double.NaN : event.getSloTpotMs());
    }
    windows.put(engineId, tally);
  }

  /** Why the event cannot be true, or null. */
  static String problem(RequestEvent e) {
    if (e.getEngineId().isBlank()) {
      return "engineId is empty";
    }
    if (e.getType() == RequestEventType.UNKNOWN) {
      return "event type unknown to this version";
    }
    if (e.getEventTimeMs() < 0 || e.getArrivalTimeMs() < 0) {
      return "negative time: eventTimeMs " + e.getEventTimeMs() + ", arrivalTimeMs "
          + e.getArrivalTimeMs();
    }
    if (e.getPromptTokens() < 0 || e.getOutputTokens() < 0 || e.getCachedPromptTokens() < 0) {
      return "negative token count";
    }
    if (e.getCachedPromptTokens() > e.getPromptTokens()) {
      return "cachedPromptTokens " + e.getCachedPromptTokens() + " exceeds promptTokens "
          + e.getPromptTokens();
    }
    if (e.getType() == RequestEventType.FINISHED) {
      if (e.getTtftUs() == null || e.getTtftUs() < 0) {
        return "FINISHED without a non-negative ttftUs";
      }
      if (e.getTpotUs() != null && e.getTpotUs() < 0) {
        return "negative tpotUs " + e.getTpotUs();
      }
    }
    if ((e.getSloTtftMs() != null && e.getSloTtftMs() <= 0)
        || (e.getSloTpotMs() != null && e.getSloTpotMs() <= 0)) {
      return "SLO targets must be positive";
    }
    return null;
  }

  private void closeExpired(long streamTimeMs) {
    List<KeyValue<String, SloTally>> expired = new ArrayList<>();
    try (KeyValueIterator<String, SloTally> all = windows.all()) {
      while (all.hasNext()) {
        KeyValue<String, SloTally> entry = all.next();
        if (entry.value.windowStartMs() + windowMs + graceMs <= streamTimeMs) {
          expired.add(entry);
        }
      }
    }
    for (KeyValue<String, SloTally> entry : expired) {
      publish(entry.key, entry.value, entry.value.windowStartMs() + windowMs);
      windows.delete(entry.key);
    }
  }

  private void publish(String engineId, SloTally tally, long timestamp) {
    context.forward(
        new Record<String, Object>(
            engineId, TelemetryMapping.toSloWindow(engineId, tally, windowMs), timestamp),
        TelemetryTopology.SLO_WINDOWS_SINK);
  }
}
