package io.synergysched.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.cli.load.LoadGenerator;
import io.synergysched.cli.load.LoadPipeline;
import io.synergysched.cli.load.LoadReport;
import io.synergysched.connector.EngineConnector;
import io.synergysched.router.RouterConsumer;
import io.synergysched.router.RouterConsumerConfig;
import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.RoutedRequest;
import io.synergysched.schemas.RoutingDecision;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.schemas.serde.UndecodableRecordException;
import io.synergysched.testsupport.KafkaClusterExtension;
import io.synergysched.trainer.ModelTrainer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 fuzzed inputs while the pipeline routes real load: 1,600 on each of the five input
 * topics (random bytes, truncated, a corrupted header, flipped bits, negative fields, oversized
 * fields, null and empty values) and 2,000 malformed HTTP calls on every endpoint, with the bearer
 * token (unknown methods, malformed JSON bodies, garbage and overlong paths and queries, broken
 * percent-encoding, protocol garbage on a raw socket) and without it or with a wrong one (401). Every record is dead-lettered with a reason at its own
 * coordinates, or (a mutation that still decodes) processed like any valid record; every HTTP call
 * is answered with a 4xx (or 503 while not ready) or, for protocol garbage, closed; no process
 * stops, no stream stops, and the load's requests are all routed exactly once.
 */
@Timeout(300) // a hang guard, not a speed assertion
class FuzzIT {

  private static final SchemaRegistryClient NO_REGISTRY = null;
  private static final int PER_TOPIC = 1_600;
  private static final int HTTP_CALLS = 2_000;
  private static final int KINDS = 7;

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(1);

  @TempDir Path dir;

  /** One fuzzed record: where it landed and what the test can say about it itself. */
  record Case(String topic, int kind, String key, byte[] value) {}

  record Coord(String topic, int partition, long offset) {}

  @Test
  void shouldDeadLetterOrRejectEveryFuzzedInputAndKeepProcessing() throws Exception {
    try (FaultHarness h = new FaultHarness(KAFKA, dir, "fz", (short) 1, Map.of())) {
      ModelTrainer trainer = h.pipeline.startTrainer("trainer", Map.of());
      EngineConnector connector =
          h.pipeline.startConnector("engines", "a100:llama-2-7b:tp1*2,h100:llama-2-7b:tp1*2", Map.of());
      String engine = connector.engines().keySet().iterator().next();
      RouterConsumer router = h.pipeline.startRouter("r1", "prism", trainer,
          Map.of(RouterConsumerConfig.METRICS_PORT, "0"));
      LoadPipeline.await("the pipeline is ready", Duration.ofSeconds(90),
          () -> connector.isReading() && router.isRouting());

      Map<Coord, Case> cases = new ConcurrentHashMap<>();
      List<String> httpFailures = new ArrayList<>();
      // answered 4xx/503, closed, served (a lenient parse), refused 401 (no or a wrong token)
      int[] httpOutcomes = new int[4];
      String token = h.pipeline.httpToken();
      LoadGenerator.Plan plan = new LoadGenerator.Plan("fz", 80, 25_000);
      LoadReport report = h.underLoad(plan, Duration.ofSeconds(2), () -> {
        fuzzTopics(engine, cases);
        fuzzHttp(List.of(
            "http://" + trainer.advertised().host() + ":" + trainer.advertised().port(),
            "http://127.0.0.1:" + router.metricsPort()), token, httpOutcomes, httpFailures);
      });

      // every process and stream still up, and serving valid calls
      assertThat(trainer.state()).isEqualTo(KafkaStreams.State.RUNNING);
      assertThat(router.failure()).isNull();
      assertThat(router.isStopped()).isFalse();
      assertThat(connector.isReading()).isTrue();
      assertThat(httpFailures).as("HTTP calls answered with a server error or hanging").isEmpty();
      assertThat(get("http://" + trainer.advertised().host() + ":" + trainer.advertised().port()
          + "/engines", token)).isEqualTo(200);
      assertThat(get("http://127.0.0.1:" + router.metricsPort() + "/metrics", token)).isEqualTo(200);
      assertThat(get("http://127.0.0.1:" + router.metricsPort() + "/metrics", null))
          .as("an unauthenticated call").isEqualTo(401);
      assertThat(httpOutcomes[3]).as("fuzzed calls without or with a wrong token, refused").isPositive();

      // every fuzzed record: dead-lettered where it was, with a reason, or processed as valid
      Outcomes outcomes = outcomes();
      Map<String, int[]> perTopic = new HashMap<>(); // dead-lettered, processed, skipped
      List<String> unaccounted = new ArrayList<>();
      for (Map.Entry<Coord, Case> e : cases.entrySet()) {
        Case c = e.getValue();
        int[] tally = perTopic.computeIfAbsent(c.topic(), t -> new int[3]);
        String reason = outcomes.deadLetters.get(e.getKey());
        if (reason != null) {
          assertThat(reason).as("reason of a dead letter").isNotBlank();
          tally[0]++;
          continue;
        }
        boolean mustBeRejected = c.kind() != 3; // only flipped bits may make a valid record
        Object decoded = decodeQuietly(c);
        if (c.topic().equals(Topics.ENGINE_REGISTRY.name())) {
          // a global store cannot dead-letter: the trainer logs and skips what it cannot decode
          // or what breaks EngineDescriptorRules (as the router does), and keeps the rest (with
          // heartbeat 0 never a live engine)
          tally[decoded == null ? 2 : 1]++;
        } else if (!mustBeRejected && decoded != null && processed(c, decoded, outcomes)) {
          tally[1]++;
        } else {
          unaccounted.add(c.topic() + " kind " + c.kind() + " at " + e.getKey());
        }
      }
      assertThat(unaccounted).as("fuzzed records neither dead-lettered nor processed").isEmpty();

      StringBuilder row = new StringBuilder();
      int deadLettered = 0;
      for (Map.Entry<String, int[]> t : new java.util.TreeMap<>(perTopic).entrySet()) {
        deadLettered += t.getValue()[0];
        row.append(String.format(Locale.ROOT, "%s: %d dead-lettered, %d valid after mutation%s; ",
            t.getKey().replace("synergy.", ""), t.getValue()[0], t.getValue()[1],
            t.getValue()[2] > 0 ? ", " + t.getValue()[2] + " skipped with a logged reason" : ""));
      }
      row.append(String.format(Locale.ROOT, "HTTP (with the token): %d answered 4xx, %d closed"
          + " (protocol garbage), %d served as plain GETs (a 100 KB header); %d without or with a"
          + " wrong token refused 401; no process or stream stopped",
          httpOutcomes[0], httpOutcomes[1], httpOutcomes[2], httpOutcomes[3]));
      FaultTable.recordRow("6-fuzz", String.format(Locale.ROOT,
          "| 10,000 fuzzed inputs (%d on 5 topics, %d HTTP) | 80/s x 25 s | %d | %d | %d | - | %d"
              + " (+%d load) | %d / %d | %s |",
          cases.size(), HTTP_CALLS, report.in(), report.lost(), report.duplicated(), deadLettered,
          report.deadLettered(), report.rejected(), report.servedAfterRejection(), row));
      assertThat(cases).hasSize(5 * PER_TOPIC);
      assertThat(httpOutcomes[0] + httpOutcomes[1] + httpOutcomes[2] + httpOutcomes[3])
          .isEqualTo(HTTP_CALLS);
      FaultHarness.assertExactlyAccounted(report, plan.total());
    }
  }

  // ---- Avro on the input topics ----

  private static void fuzzTopics(String engine, Map<Coord, Case> cases) throws Exception {
    Random random = new Random(1234);
    long now = System.currentTimeMillis();
    Properties props = KAFKA.clientProperties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1048000");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < PER_TOPIC; i++) {
        int kind = i % KINDS;
        send(producer, cases, random, Topics.REQUESTS_INBOUND.name(), "fuzz-in-" + i, kind,
            InferenceRequest.class, n -> inference("fuzz-in-" + n, now, kind), i);
        send(producer, cases, random, Topics.REQUESTS_ROUTED.name(), engine, kind,
            RoutedRequest.class, n -> RoutedRequest.newBuilder().setEngineId(engine)
                .setDecisionId("fuzz-" + n).setRoutedAtMs(now).setPolicy("fuzz")
                .setRequest(inference("fuzz-routed-" + n, now, kind)).build(), i);
        send(producer, cases, random, Topics.ENGINE_STEPS.name(), "fuzz-engine", kind,
            StepTelemetry.class, n -> step(n, now, kind), i);
        send(producer, cases, random, Topics.ENGINE_REQUESTS.name(), "fuzz-engine", kind,
            RequestEvent.class, n -> event(n, now, kind), i);
        send(producer, cases, random, Topics.ENGINE_REGISTRY.name(), "fuzz-engine-" + i, kind,
            EngineDescriptor.class, n -> descriptor(n, kind), i);
      }
      producer.flush();
    }
  }

  private static <T extends SpecificRecord> void send(KafkaProducer<String, byte[]> producer,
      Map<Coord, Case> cases, Random random, String topic, String key, int kind, Class<T> type,
      Function<Integer, T> seed, int n) {
    byte[] valid = new AvroRecordCodec<>(type, NO_REGISTRY).encode("unused", seed.apply(n));
    byte[] value = switch (kind) {
      case 0 -> randomBytes(random, 1 + random.nextInt(300));
      case 1 -> java.util.Arrays.copyOf(valid, random.nextInt(valid.length));
      case 2 -> flip(valid, random.nextInt(Math.min(10, valid.length)), random);
      case 3 -> {
        byte[] v = valid.clone();
        for (int f = 0; f <= random.nextInt(3); f++) {
          v = flip(v, 10 + random.nextInt(v.length - 10), random);
        }
        yield v;
      }
      case 4, 5 -> valid; // the seed itself carries negative or oversized fields
      default -> n % 2 == 0 ? null : new byte[0];
    };
    Case c = new Case(topic, kind, key, value);
    producer.send(new ProducerRecord<>(topic, key, value), (m, error) -> {
      if (error == null) {
        cases.put(new Coord(topic, m.partition(), m.offset()), c);
      }
    });
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return b;
  }

  private static byte[] flip(byte[] v, int index, Random random) {
    byte[] copy = v.clone();
    copy[index] ^= (byte) (1 << random.nextInt(8));
    return copy;
  }

  /** A request; kind 4 has negative token counts, kind 5 oversized ones, others are valid. */
  private static InferenceRequest inference(String id, long now, int kind) {
    return InferenceRequest.newBuilder().setRequestId(id).setArrivalTimeMs(now)
        .setPromptTokens(kind == 4 ? -5 : kind == 5 ? Integer.MAX_VALUE : 100)
        .setMaxOutputTokens(kind == 4 ? -1 : kind == 5 ? 2_000_000_000 : 4)
        .setSloTtftMs(5_000).setSloTpotMs(500).build();
  }

  private static StepTelemetry step(int n, long now, int kind) {
    return StepTelemetry.newBuilder().setEngineId("fuzz-engine").setStepIndex(n)
        .setStartTimeMs(now).setDurationUs(kind == 4 ? -1_000 : kind == 5 ? Long.MAX_VALUE : 20_000)
        .setPrefillTokens(kind == 4 ? -7 : 0).setPrefillChunks(0).setPrefillChunkSqSum(0)
        .setPrefillCachedContext(0).setDecodeSeqs(4).setDecodeContextSum(1_000)
        .setKvBlocksUsed(kind == 5 ? Integer.MAX_VALUE : 10).setKvBlocksTotal(1_000)
        .setWaiting(0).setRunning(4).setPreemptions(0).build();
  }

  private static RequestEvent event(int n, long now, int kind) {
    return RequestEvent.newBuilder().setEngineId("fuzz-engine").setRequestId("fuzz-ev-" + n)
        .setType(RequestEventType.FINISHED).setEventTimeMs(kind == 4 ? -now : now)
        .setArrivalTimeMs(now - 100).setPromptTokens(kind == 4 ? -3 : 10).setOutputTokens(5)
        .setCachedPromptTokens(kind == 5 ? Integer.MAX_VALUE : 0)
        .setTtftUs(kind == 4 ? -1L : 50_000L).setTpotUs(10_000L).build();
  }

  private static EngineDescriptor descriptor(int n, int kind) {
    // heartbeat 0: even a descriptor that decodes is never a live engine
    return EngineDescriptor.newBuilder().setEngineId("fuzz-engine-" + n).setGpu("a100")
        .setModel("llama-2-7b").setTensorParallel(kind == 4 ? -1 : 1)
        .setKvBlocksTotal(kind == 5 ? Integer.MAX_VALUE : 1000).setBlockSizeTokens(16)
        .setMaxNumBatchedTokens(2048).setMaxNumSeqs(256).setMaxModelLen(4096)
        .setScheduler("vllm-default").setStartedAtMs(0).setHeartbeatMs(0).build();
  }

  private static Object decodeQuietly(Case c) {
    Class<? extends SpecificRecord> type = switch (c.topic()) {
      case "synergy.requests.inbound" -> InferenceRequest.class;
      case "synergy.requests.routed" -> RoutedRequest.class;
      case "synergy.engine.steps" -> StepTelemetry.class;
      case "synergy.engine.requests" -> RequestEvent.class;
      default -> EngineDescriptor.class;
    };
    try {
      return new AvroRecordCodec<>(type, NO_REGISTRY).decode(c.topic(), -1, -1, c.value());
    } catch (RuntimeException e) { // undecodable, or not even Avro
      return null;
    }
  }

  /** A mutated record that decodes: the component processed it like a valid one. */
  private static boolean processed(Case c, Object decoded, Outcomes outcomes) {
    return switch (c.topic()) {
      case "synergy.requests.inbound" ->
          outcomes.decided.contains(((InferenceRequest) decoded).getRequestId());
      case "synergy.requests.routed" ->
          outcomes.served.contains(((RoutedRequest) decoded).getRequest().getRequestId());
      default -> true; // steps and events that decode and pass validation are learned
    };
  }

  /** What the pipeline wrote: dead letters by source coordinates, decided and served ids. */
  static final class Outcomes {
    final Map<Coord, String> deadLetters = new HashMap<>();
    final Set<String> decided = new HashSet<>();
    final Set<String> served = new HashSet<>();
  }

  private static Outcomes outcomes() {
    Outcomes o = new Outcomes();
    var letters = new AvroRecordCodec<>(DeadLetter.class, NO_REGISTRY);
    var decisions = new AvroRecordCodec<>(RoutingDecision.class, NO_REGISTRY);
    var events = new AvroRecordCodec<>(RequestEvent.class, NO_REGISTRY);
    Properties props = KAFKA.clientProperties();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "fz-outcomes");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, byte[]> reader =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      reader.subscribe(List.of(Topics.DEAD_LETTERS.name(), Topics.ROUTING_DECISIONS.name(),
          Topics.ENGINE_REQUESTS.name()));
      int empty = 0;
      while (empty < 10) {
        var records = reader.poll(Duration.ofMillis(300));
        empty = records.isEmpty() ? empty + 1 : 0;
        for (ConsumerRecord<String, byte[]> r : records) {
          try {
            if (r.topic().equals(Topics.DEAD_LETTERS.name())) {
              DeadLetter d = letters.decodeValue(r);
              o.deadLetters.put(new Coord(d.getSourceTopic(), d.getSourcePartition(),
                  d.getSourceOffset()), d.getError());
            } else if (r.topic().equals(Topics.ROUTING_DECISIONS.name())) {
              o.decided.add(decisions.decodeValue(r).getRequestId());
            } else {
              RequestEvent e = events.decodeValue(r);
              if (e != null) {
                o.served.add(e.getRequestId());
              }
            }
          } catch (UndecodableRecordException | NullPointerException e) {
            // the fuzz's own records on the request-events topic
          }
        }
      }
    }
    return o;
  }

  // ---- HTTP ----

  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "FOO"};
  private static final String[] BODIES = {
    "{", "{\"engine\":", "[1,2,", "{\"a\":\"\\u0000\"}", "null", "{\"rate\":-1}",
    "{\"promptTokens\":99999999999999999999}", "\u0000\u0001\u0002", "<xml/>", ""};
  private static final String[] PATHS = {
    "/engines", "/engines/", "/engines/a/b/c", "/engines/..%2F..%2Fetc", "/metrics/x",
    "/health", "/metrics", "/engines?local=maybe", "/", "/nope", "/engines/%00", "/engines/%E2%82",
    "/dashboard", "/dashboard/../engines", "/health/x"};

  private static void fuzzHttp(List<String> bases, String token, int[] outcomes,
      List<String> failures) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Random random = new Random(99);
    for (int i = 0; i < HTTP_CALLS; i++) {
      String base = bases.get(i % bases.size());
      if (i % 5 == 4) {
        raw(base, token, random, outcomes, failures);
        continue;
      }
      String path = PATHS[random.nextInt(PATHS.length)];
      if (i % 7 == 3) {
        path = "/engines/" + "x".repeat(10_000 + random.nextInt(5_000)); // overlong
      } else if (i % 7 == 5) {
        path = path + "?" + "q=" + Long.toHexString(random.nextLong()) + "&local=" + random.nextInt();
      }
      String method = METHODS[random.nextInt(METHODS.length)];
      String body = BODIES[random.nextInt(BODIES.length)];
      if (i % 50 == 0) {
        body = "{\"x\":\"" + "y".repeat(2_000_000) + "\"}"; // oversized body
      }
      // a GET under a served resource is a real query (the JDK server matches path prefixes, so
      // /health/x is /health); anything else must not succeed
      String top = path.split("\\?", 2)[0].split("/", 3)[1];
      boolean wellFormed = method.equals("GET")
          && List.of("engines", "health", "metrics", "dashboard").contains(top);
      try {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10));
        b = method.equals("GET") ? b.GET() : b.method(method, HttpRequest.BodyPublishers.ofString(body));
        // one call in ten without the token, one in ten with a wrong one: refused, whatever else
        boolean unauthenticated = i % 10 == 1 || i % 10 == 6;
        if (i % 10 != 1) {
          b.header("Authorization", "Bearer " + (i % 10 == 6 ? token + "x" : token));
        }
        HttpResponse<String> response = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (unauthenticated) {
          // 401 on every served resource; an unknown path (404), an overlong URI (414) or body
          // (413) is refused before authentication, which shows nothing either; a 405 or any
          // success would mean the call got past authentication
          if (status == 401) {
            outcomes[3]++;
          } else if (status >= 400 && status < 500 && status != 405) {
            outcomes[0]++;
          } else {
            failures.add("unauthenticated " + method + " " + abbreviate(path) + " -> " + status);
          }
        } else if (status >= 500 && status != 503) {
          failures.add(method + " " + abbreviate(path) + " -> " + status + " " + abbreviate(response.body()));
        } else if (status < 400 && !wellFormed) {
          failures.add(method + " " + abbreviate(path) + " accepted with " + status);
        } else {
          outcomes[0]++;
        }
      } catch (java.io.IOException e) {
        // the server closed the connection on an oversized request: rejected
        outcomes[1]++;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IllegalArgumentException e) {
        failures.add("client could not even build " + abbreviate(path) + ": " + e.getMessage());
      }
    }
  }

  /** Protocol garbage on a raw socket: the server answers 4xx or closes, within the timeout. */
  private static void raw(String base, String token, Random random, int[] outcomes,
      List<String> failures) {
    URI uri = URI.create(base);
    String[] garbage = {
      "GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET /engines HTTP/9.9\r\n\r\n",
      "GET /engines HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
      "POST /engines HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "GET /engines HTTP/1.1\r\nHost: x\r\n" + "X: " + "h".repeat(100_000) + "\r\n\r\n",
      "GET /engines/%ZZ HTTP/1.1\r\nHost: x\r\n\r\n", "GET /engines/% HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /engines?%%% HTTP/1.1\r\nHost: x\r\n\r\n", "GET /metrics/%ZZ HTTP/1.1\r\nHost: x\r\n\r\n",
      new String(randomBytes(random, 64), StandardCharsets.ISO_8859_1) + "\r\n\r\n"};
    String request = garbage[random.nextInt(garbage.length)]
        .replace("Host: x\r\n", "Host: x\r\nAuthorization: Bearer " + token + "\r\n");
    // the JDK server takes an unknown HTTP version and a 100 KB header as a plain GET
    boolean lenient = request.contains("X: hhhh");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        socket.shutdownOutput();
      } catch (java.io.IOException closedWhileWriting) {
        outcomes[1]++;
        return;
      }
      InputStream in = socket.getInputStream();
      byte[] head = in.readNBytes(12);
      String status = new String(head, StandardCharsets.ISO_8859_1);
      if (head.length == 0) {
        outcomes[1]++;
      } else if (status.startsWith("HTTP/1.1 4") || status.startsWith("HTTP/1.1 503")) {
        outcomes[0]++;
      } else if (lenient && status.startsWith("HTTP/1.1 200")) {
        outcomes[2]++;
      } else {
        failures.add("raw " + abbreviate(request) + " -> " + status);
      }
    } catch (java.net.SocketTimeoutException e) {
      failures.add("raw " + abbreviate(request) + " hung");
    } catch (java.io.IOException e) {
      outcomes[1]++; // reset by the server
    }
  }

  private static int get(String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static String abbreviate(String s) {
    return s == null ? "null" : s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
