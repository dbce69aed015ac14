package io.synergysched.topologies.query;

import io.synergysched.runtime.query.QueryNotReadyException;
import io.synergysched.runtime.query.RemoteEngineClient;
import io.synergysched.runtime.query.EngineSnapshot;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synergysched.runtime.config.HttpAccess;
import io.synergysched.core.model.StepLatencyModelState;
import io.synergysched.core.telemetry.EngineStatus;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.topologies.StoreNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries over the engine stores of a running model-trainer: for one engine (asked of
 * the instance that owns its key, found through {@code application.server}) and for all engines
 * (every instance's local stores, merged). This is the Java API for callers in the same JVM; the
 * HTTP server exposes the same answers.
 *
 * <p>Thread-safe. Methods throw {@link QueryNotReadyException} while the instance is starting or
 * rebalancing, or when an owner does not answer.
 */
public final class EngineQueryService {

  private final KafkaStreams streams;
  private final HostInfo self;
  private final RemoteEngineClient remote;

  /**
   * @param streams the running application
   * @param self this instance's {@code application.server} host and port
   * @param access how to authenticate to the peers (the same setting they check callers with)
   */
  public EngineQueryService(KafkaStreams streams, HostInfo self, ObjectMapper json, Duration timeout,
      HttpAccess access) {
    this.streams = streams;
    this.self = self;
    this.remote = new RemoteEngineClient(json, timeout, access);
  }

  /** One engine, from whichever instance owns it; empty when no instance knows it. */
  public Optional<EngineSnapshot> engine(String engineId) {
    KeyQueryMetadata owner;
    try {
      owner = streams.queryMetadataForKey(StoreNames.MODELS, engineId, Serdes.String().serializer());
    } catch (IllegalStateException e) {
      throw new QueryNotReadyException("the application is not running: " + e.getMessage(), e);
    }
    if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      throw new QueryNotReadyException("no instance owns engine " + engineId + " yet", null);
    }
    if (owner.activeHost().equals(self)) {
      return localEngine(engineId);
    }
    return remote.engine(owner.activeHost().host(), owner.activeHost().port(), engineId);
  }

  /** Every engine known to any instance, sorted by id. */
  public List<EngineSnapshot> allEngines() {
    Map<String, EngineSnapshot> merged = new TreeMap<>();
    for (StreamsMetadata instance : instances()) {
      List<EngineSnapshot> views =
          instance.hostInfo().equals(self) ? localEngines() : remote.localEngines(instance.hostInfo().host(), instance.hostInfo().port());
      for (EngineSnapshot view : views) {
        merged.merge(view.engineId(), view, EngineQueryService::newer);
      }
    }
    return new ArrayList<>(merged.values());
  }

  /** One engine from this instance's stores only. */
  public Optional<EngineSnapshot> localEngine(String engineId) {
    StepLatencyModelState state;
    EngineStatus status;
    EngineDescriptor descriptor;
    try {
      state = modelStore().get(engineId);
      status = statusStore().get(engineId);
      descriptor = registryStore().get(engineId);
    } catch (InvalidStateStoreException e) {
      throw notReady(e);
    }
    if (state == null && status == null && descriptor == null) {
      return Optional.empty();
    }
    return Optional.of(EngineSnapshot.of(engineId, EngineSnapshot.Registration.of(descriptor), status,
        state, self.host() + ":" + self.port()));
  }

  /** Every engine in this instance's stores, sorted by id. */
  public List<EngineSnapshot> localEngines() {
    Map<String, EngineStatus> statuses = new TreeMap<>();
    Map<String, StepLatencyModelState> models = new TreeMap<>();
    try (KeyValueIterator<String, EngineStatus> all = statusStore().all()) {
      all.forEachRemaining(kv -> statuses.put(kv.key, kv.value));
    } catch (InvalidStateStoreException e) {
      throw notReady(e);
    }
    try (KeyValueIterator<String, StepLatencyModelState> all = modelStore().all()) {
      all.forEachRemaining(kv -> models.put(kv.key, kv.value));
    } catch (InvalidStateStoreException e) {
      throw notReady(e);
    }
    Map<String, EngineDescriptor> registered = new TreeMap<>();
    try (KeyValueIterator<String, EngineDescriptor> all = registryStore().all()) {
      all.forEachRemaining(kv -> registered.put(kv.key, kv.value));
    } catch (InvalidStateStoreException e) {
      throw notReady(e);
    }
    // the registry is a global store, on every instance: an engine this instance learns nothing of
    // is listed with its registration alone, and the merge of all instances keeps the entry of
    // the instance that owns its steps (see newer)
    TreeSet<String> ids = new TreeSet<>(registered.keySet());
    ids.addAll(statuses.keySet());
    ids.addAll(models.keySet());
    String servedBy = self.host() + ":" + self.port();
    List<EngineSnapshot> views = new ArrayList<>(ids.size());
    for (String id : ids) {
      views.add(EngineSnapshot.of(id, EngineSnapshot.Registration.of(registered.get(id)),
          statuses.get(id), models.get(id), servedBy));
    }
    return views;
  }

  private List<StreamsMetadata> instances() {
    try {
      List<StreamsMetadata> all = new ArrayList<>(streams.streamsMetadataForStore(StoreNames.MODELS));
      all.sort(Comparator.comparing(m -> m.hostInfo().toString()));
      return all;
    } catch (IllegalStateException e) {
      throw new QueryNotReadyException("the application is not running: " + e.getMessage(), e);
    }
  }

  private ReadOnlyKeyValueStore<String, StepLatencyModelState> modelStore() {
    return store(StoreNames.MODELS);
  }

  private ReadOnlyKeyValueStore<String, EngineDescriptor> registryStore() {
    return store(StoreNames.ENGINE_REGISTRY);
  }

  private ReadOnlyKeyValueStore<String, EngineStatus> statusStore() {
    return store(StoreNames.ENGINE_STATUS);
  }

  private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
    try {
      return streams.store(
          StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
    } catch (InvalidStateStoreException e) {
      throw notReady(e);
    }
  }

  /** Stores throw on lookup and also later, while iterating, when a rebalance starts meanwhile. */
  private static QueryNotReadyException notReady(InvalidStateStoreException e) {
    return new QueryNotReadyException("stores are not queryable now: " + e.getMessage(), e);
  }

  /**
   * Every instance lists every registered engine, and during a hand-over two instances may both
   * hold its state: keep the further-along model, then the later status, then either.
   */
  private static EngineSnapshot newer(EngineSnapshot a, EngineSnapshot b) {
    long va = a.model() == null ? -1 : a.model().version();
    long vb = b.model() == null ? -1 : b.model().version();
    if (va != vb) {
      return vb > va ? b : a;
    }
    long sa = a.status() == null ? -1 : a.status().lastStepIndex();
    long sb = b.status() == null ? -1 : b.status().lastStepIndex();
    return sb > sa ? b : a;
  }
}
