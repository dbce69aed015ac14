package io.synergysched.topologies.telemetry;

import io.synergysched.runtime.log.ThrottledWarnings;
import io.synergysched.runtime.records.EngineDescriptorRules;
import io.synergysched.runtime.records.RegistryHold;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.UndecodableRecordException;
import io.synergysched.topologies.StoreNames;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global engine-registry store: descriptor by engine id, removed on a tombstone. A global
 * store cannot forward, so a descriptor that cannot be decoded or breaks {@link
 * EngineDescriptorRules} (the rules the routers skip it by) is logged with its coordinates (at
 * most one line per reason per minute, with a count) and skipped: the store keeps the engine's last good descriptor, or the engine starts its model cold,
 * which costs accuracy for its first steps and nothing else.
 *
 * <p>A descriptor whose schema the registry gives no answer about is not skipped: the global
 * thread decodes it again with {@link RegistryHold}'s backoff for as long as it takes. The global
 * consumer has no group (no poll interval to keep), and a failed global thread would stop the
 * whole trainer rather than be replaced.
 */
final class RegistryStoreUpdater implements Processor<String, byte[], Void, Void> {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryStoreUpdater.class);
  /** A registry topic's history can hold thousands of heartbeats another framing wrote. */
  private static final ThrottledWarnings WARNINGS = ThrottledWarnings.perMinute(LOG);

  private final AvroRecordCodec<EngineDescriptor> codec;
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, EngineDescriptor> store;

  private static String where(RecordMetadata m, String key) {
    return m == null ? "key " + key
        : m.topic() + "-" + m.partition() + "@" + m.offset() + " key " + key;
  }

  RegistryStoreUpdater(AvroRecordCodec<EngineDescriptor> codec) {
    this.codec = codec;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    this.store = context.getStateStore(StoreNames.ENGINE_REGISTRY);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      store.delete(record.key());
      return;
    }
    RecordMetadata m = context.recordMetadata().orElse(null);
    EngineDescriptor descriptor;
    try {
      descriptor = RegistryHold.retrying("model-trainer/update-registry", null, () -> codec.decode(
          m == null ? "unknown" : m.topic(),
          m == null ? -1 : m.partition(),
          m == null ? -1 : m.offset(),
          record.value()));
    } catch (UndecodableRecordException e) {
      WARNINGS.warn("skipping engine descriptors that cannot be decoded: " + e.reason(),
          where(m, record.key()));
      return;
    }
    String problem = EngineDescriptorRules.problem(record.key(), descriptor);
    if (problem != null) {
      WARNINGS.warn("skipping invalid engine descriptors: " + problem, where(m, record.key()));
      return;
    }
    store.put(record.key(), descriptor);
  }
}
