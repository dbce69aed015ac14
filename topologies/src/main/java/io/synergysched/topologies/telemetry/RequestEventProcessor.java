package io.synergysched.topologies.telemetry;

import io.synergysched.runtime.mapping.TelemetryMapping;
import io.synergysched.runtime.records.CheckedRecordReader;
import io.synergysched.runtime.records.RequestEventRules;
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
 * window is counted in the open window rather than lost. Events that break {@link
 * RequestEventRules} are dead-lettered.
 */
final class RequestEventProcessor implements Processor<String, byte[], String, Object> {

  static final String STAGE = "model-trainer/ingest-request-event";

  private final CheckedRecordReader<RequestEvent, RequestEvent> reader;
  private final long windowMs;
  private final long graceMs;

  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, SloTally> windows;

  RequestEventProcessor(TelemetryTopologyConfig config, AvroRecordCodec<RequestEvent> codec) {
    this.reader = CheckedRecordReader.checking(codec, STAGE, RequestEventRules::problem,
        () -> context.currentSystemTimeMs());
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
        DeadLetters.readOrForward(context, record, reader, TelemetryTopology.DEAD_LETTER_SINK);
    if (event == null) {
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
