package io.synergysched.topologies.telemetry;

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
 * store cannot forward, so an undecodable descriptor is logged with its coordinates and skipped; the
 * engine then starts its model cold, which costs accuracy for its first steps and nothing else.
 */
final class RegistryStoreUpdater implements Processor<String, byte[], Void, Void> {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryStoreUpdater.class);

  private final AvroRecordCodec<EngineDescriptor> codec;
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, EngineDescriptor> store;

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
    try {
      store.put(
          record.key(),
          codec.decode(
              m == null ? "unknown" : m.topic(),
              m == null ? -1 : m.partition(),
              m == null ? -1 : m.offset(),
              record.value()));
    } catch (UndecodableRecordException e) {
      LOG.warn("skipping engine descriptor: {}", e.getMessage());
    }
  }
}
