package io.synergysched.cli;

import io.synergysched.schemas.serde.AvroSerdeConfig;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Publishes recorded records back to a topic. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Publish the records of one topic saved by `record` back to it, with their keys and event",
      "times, each partition's order kept; --speed keeps the gaps between event times."
    })
final class ReplayCommand implements Callable<Integer> {

  @Option(names = "--bootstrap-servers", required = true, description = "Kafka cluster")
  String bootstrapServers;

  @Mixin
  KafkaClientOptions kafka = new KafkaClientOptions();

  @Option(names = "--schema-registry-url",
      description = "registry to write Confluent-framed values with (default: single-object)")
  String registryUrl;

  @Option(names = "--in", required = true, description = "file written by `record`")
  Path in;

  @Option(names = "--topic", required = true, description = "topic to replay")
  String topic;

  @Option(names = "--speed",
      description = "event time per wall time; 0 sends as fast as possible (default: ${DEFAULT-VALUE})")
  double speed = 0;

  @Override
  public Integer call() throws Exception {
    if (!(speed >= 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("--speed must be >= 0, was " + speed);
    }
    Properties client = kafka.properties(bootstrapServers);
    SchemaRegistryClient registry = registryUrl == null
        ? null : new SchemaRegistryClient(AvroSerdeConfig.withRegistry(registryUrl));
    long sent = TopicRecording.replay(client, registry, in, topic, speed, System::nanoTime);
    System.out.println("replayed " + sent + " records to " + topic);
    return 0;
  }
}
