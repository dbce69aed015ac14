package io.synergysched.router;

import static io.synergysched.router.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synergysched.connector.EngineConnector;
import io.synergysched.connector.EngineConnectorConfig;
import io.synergysched.runtime.config.HttpAccess;
import io.synergysched.schemas.DecisionOutcome;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.RoutingDecision;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.schemas.serde.SpecificAvroSerde;
import io.synergysched.testsupport.KafkaClusterExtension;
import io.synergysched.embedded.SaslSslListener;
import io.synergysched.embedded.TestCertificates;
import io.synergysched.runtime.http.HttpEndpoints;
import io.synergysched.trainer.ModelTrainer;
import io.synergysched.trainer.ModelTrainerConfig;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole control plane on a broker whose client listener requires TLS and SASL/SCRAM-SHA-512:
 * a model-trainer, a PRISM router and an engine-connector with simulated engines, each with its
 * own SCRAM user, every Kafka client of every service on the secure listener, the HTTP endpoints
 * on HTTPS behind a bearer token (the router polls the trainer over it). Every request is decided once and finishes once; a client without
 * credentials, or with a wrong password, is refused; and nothing logged while it all ran (Kafka's
 * config dumps included) holds a SASL password, a store password or the HTTP token.
 */
@Timeout(300) // a hang guard, not a speed assertion
class SecurePipelineIT {

  private static final SchemaRegistryClient NO_REGISTRY = null;
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final int REQUESTS = 60;

  static {
    // Kafka's clients and broker log their configurations at INFO: turn it on, so the scan below
    // sees those dumps. slf4j-simple reads these when its first logger is made, which is why this
    // class runs in a JVM of its own (the secure-pipeline execution of failsafe).
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "info");
    System.setProperty("org.slf4j.simpleLogger.log.kafka", "info");
  }

  /** From before the broker starts: its logs are scanned too. */
  private static final Log LOG = Log.capture();

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(1).withSaslSslListener();

  @TempDir Path dir;

  private final List<AutoCloseable> running = new ArrayList<>();
  private final Map<String, String> passwords = new HashMap<>();
  private TestCertificates httpCertificates;

  @AfterEach
  void stopAll() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  @Test
  void shouldRunThePipelineOverSaslSslAndLogNoSecret() throws Exception {
    String token = HttpAccess.randomToken();
    httpCertificates = TestCertificates.generate("localhost");
    Map<String, String> http = Map.of(HttpAccess.TOKEN, token,
        HttpAccess.KEYSTORE, httpCertificates.keystore().toString(),
        HttpAccess.KEYSTORE_PASSWORD, httpCertificates.keystorePassword(),
        HttpAccess.TRUSTSTORE, httpCertificates.truststore().toString(),
        HttpAccess.TRUSTSTORE_PASSWORD, httpCertificates.truststorePassword());
    for (String user : List.of("model-trainer", "router", "connector", "client")) {
      passwords.put(user, SaslSslListener.randomPassword());
      KAFKA.createScramUser(user, passwords.get(user));
    }
    SaslSslListener tls = KAFKA.secureListener();
    try {
      ModelTrainerConfig trainerConfig = ModelTrainerConfig.fromSettings(service("model-trainer",
          Map.of(ModelTrainerConfig.APPLICATION_ID, "secure-trainer",
              ModelTrainerConfig.STATE_DIR, dir.resolve("trainer").toString(),
              ModelTrainerConfig.IQ_PORT, "0"), http));
      ModelTrainer trainer = ModelTrainer.start(trainerConfig); // creates the topics, over SASL_SSL
      running.add(trainer);
      String trainerUrl = "https://localhost:" + trainer.advertised().port();
      EngineConnectorConfig connectorConfig = EngineConnectorConfig.fromSettings(service("connector",
          Map.of(EngineConnectorConfig.CONNECTOR_ID, "secure",
              EngineConnectorConfig.ENGINES, "a100:llama-2-7b:tp1,h100:llama-2-7b:tp1",
              EngineConnectorConfig.HEARTBEAT_MS, "200")));
      EngineConnector connector = EngineConnector.start(connectorConfig);
      running.add(connector);
      RouterConsumerConfig routerConfig = RouterConsumerConfig.fromSettings(service("router",
          Map.of(RouterConsumerConfig.INSTANCE_ID, "secure-router",
              RouterConsumerConfig.POLICY, "prism",
              RouterConsumerConfig.TRAINER_URL, trainerUrl,
              RouterConsumerConfig.METRICS_PORT, "0"), http));
      RouterConsumer router = RouterConsumer.start(routerConfig);
      running.add(router);

      Properties client = client("client");
      Random random = new Random(5);
      try (KafkaProducer<String, byte[]> producer = PipelineFixture.producer(client)) {
        for (int i = 0; i < REQUESTS; i++) {
          PipelineFixture.send(producer, PipelineFixture.request(
              "sec-" + i, 64 + random.nextInt(400), 8 + random.nextInt(48)));
        }
        producer.flush();
      }
      Map<String, Integer> decisions = new HashMap<>();
      Map<String, Integer> finished = new HashMap<>();
      int[] shed = new int[1];
      var decisionSerde = SpecificAvroSerde.forValues(RoutingDecision.class, NO_REGISTRY);
      var eventSerde = SpecificAvroSerde.forValues(RequestEvent.class, NO_REGISTRY);
      try (KafkaConsumer<String, byte[]> reader = PipelineFixture.committedReader(client, "check",
          List.of(Topics.ROUTING_DECISIONS.name(), Topics.ENGINE_REQUESTS.name()))) {
        await("every request decided and finished", LIMIT, () -> {
          for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
            if (r.topic().equals(Topics.ROUTING_DECISIONS.name())) {
              RoutingDecision d = decisionSerde.deserialize(r.topic(), r.value());
              decisions.merge(d.getRequestId(), 1, Integer::sum);
              shed[0] += d.getOutcome() == DecisionOutcome.SHED ? 1 : 0;
            } else {
              RequestEvent e = eventSerde.deserialize(r.topic(), r.value());
              if (e.getType() == RequestEventType.FINISHED) {
                finished.merge(e.getRequestId(), 1, Integer::sum);
              }
            }
          }
          return decisions.size() == REQUESTS && finished.size() + shed[0] == REQUESTS;
        });
      }
      assertThat(decisions.values()).as("one decision per request").containsOnly(1);
      assertThat(finished.values()).as("each routed request finished once").containsOnly(1);
      assertThat(finished.size()).as("requests served").isGreaterThan(REQUESTS / 2);

      // HTTPS: the router reached the trainer with the token (it routed), others need it too
      HttpClient https = HttpEndpoints.client(trainerConfig.http(), Duration.ofSeconds(5));
      URI engines = URI.create(trainerUrl + "/engines");
      HttpResponse<String> anonymous = https.send(HttpRequest.newBuilder(engines).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
      URI metrics = URI.create("https://localhost:" + router.metricsPort() + "/metrics");
      assertThat(https.send(HttpRequest.newBuilder(metrics).header("Authorization", "Bearer " + token)
          .GET().build(), HttpResponse.BodyHandlers.ofString()).body())
          .contains("synergy_router_decisions_total");

      // refused: TLS without SASL credentials, and a wrong password
      Properties noCredentials = new Properties();
      noCredentials.putAll(tls.tlsOnlySettings());
      assertRefused(noCredentials);
      String wrong = SaslSslListener.randomPassword();
      Properties wrongPassword = new Properties();
      wrongPassword.putAll(tls.clientSettings("client", wrong));
      Throwable failure = assertRefused(wrongPassword);
      assertThat(failure).hasRootCauseInstanceOf(SaslAuthenticationException.class);
      assertThat(stackTraceOf(failure)).doesNotContain(wrong);

      // no config object prints a secret
      for (Object config : List.of(trainerConfig, connectorConfig, routerConfig)) {
        assertThat(config.toString()).contains("[hidden]");
        assertSecretFree("toString of " + config.getClass().getSimpleName(), config.toString(),
            token);
      }
    } finally {
      stopAll();
      running.clear();
      LOG.stop();
      httpCertificates.delete();
    }
    String logged = LOG.text();
    // the scan saw the clients' config dumps (admin, Streams, consumers, producers), secrets hidden
    assertThat(logged).contains("sasl.jaas.config = [hidden]")
        .contains("ssl.truststore.password = [hidden]");
    assertSecretFree("the log", logged, token);
  }

  private void assertSecretFree(String what, String text, String token) {
    assertThat(text).as("%s holds the HTTP token", what).doesNotContain(token);
    assertThat(text).as("%s holds the HTTP keystore password", what)
        .doesNotContain(httpCertificates.keystorePassword());
    assertThat(text).as("%s holds the HTTP truststore password", what)
        .doesNotContain(httpCertificates.truststorePassword());
    passwords.forEach((user, password) ->
        assertThat(text).as("%s holds the SASL password of %s", what, user).doesNotContain(password));
    SaslSslListener tls = KAFKA.secureListener();
    assertThat(text).as("%s holds the keystore password", what).doesNotContain(tls.keystorePassword());
    assertThat(text).as("%s holds the truststore password", what)
        .doesNotContain(tls.truststorePassword());
  }

  /** A service's settings: its own, the secure bootstrap and its SCRAM user's client settings. */
  private Map<String, String> service(String user, Map<String, String> own) {
    return service(user, own, Map.of());
  }

  private Map<String, String> service(String user, Map<String, String> own,
      Map<String, String> http) {
    Map<String, String> settings = new HashMap<>(own);
    settings.putAll(http);
    settings.put("bootstrap.servers", KAFKA.secureBootstrapServers());
    KAFKA.secureListener().clientSettings(user, passwords.get(user))
        .forEach((k, v) -> settings.put("kafka." + k, v));
    return settings;
  }

  private Properties client(String user) {
    Properties props = new Properties();
    props.putAll(KAFKA.secureListener().clientSettings(user, passwords.get(user)));
    props.put("bootstrap.servers", KAFKA.secureBootstrapServers());
    return props;
  }

  private static Throwable assertRefused(Properties settings) {
    settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.secureBootstrapServers());
    settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "4000");
    settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    try (Admin admin = Admin.create(settings)) {
      Throwable[] failure = new Throwable[1];
      assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .satisfies(e -> failure[0] = e);
      return failure[0];
    }
  }

  private static String stackTraceOf(Throwable t) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    t.printStackTrace(new PrintStream(out, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Everything written to the standard streams (where slf4j-simple logs) while capturing. */
  private static final class Log {
    private final PrintStream originalErr = System.err;
    private final PrintStream originalOut = System.out;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    static Log capture() {
      Log log = new Log();
      System.setErr(new PrintStream(log.tee(log.originalErr), true, StandardCharsets.UTF_8));
      System.setOut(new PrintStream(log.tee(log.originalOut), true, StandardCharsets.UTF_8));
      return log;
    }

    private OutputStream tee(PrintStream original) {
      return new OutputStream() {
        @Override
        public void write(int b) {
          synchronized (captured) {
            captured.write(b);
          }
          original.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          synchronized (captured) {
            captured.write(b, off, len);
          }
          original.write(b, off, len);
        }
      };
    }

    void stop() {
      System.setErr(originalErr);
      System.setOut(originalOut);
    }

    String text() {
      synchronized (captured) {
        return captured.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
