package io.synergysched.cli;

import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroSerdeConfig;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Dumps topics to an Avro object container file. */
@Command(
    name = "record",
    mixinStandardHelpOptions = true,
    description = {
      "Save topics, from their start to their current end, to an Avro object container file of",
      "RecordedRecord (key, event time, value in single-object encoding) for replay and audit."
    })
final class RecordCommand implements Callable<Integer> {

  @Option(names = "--bootstrap-servers", required = true, description = "Kafka cluster")
  String bootstrapServers;

  @Mixin
  KafkaClientOptions kafka = new KafkaClientOptions();

  @Option(names = "--schema-registry-url",
      description = "registry of the Confluent-framed values, if the topics use one")
  String registryUrl;

  @Option(names = "--topics", split = ",",
      description = "topics to save (default: every SynergySched topic)")
  List<String> topics = Topics.ALL.stream().map(Topics.TopicSpec::name).toList();

  @Option(names = "--out", required = true, description = "file to write")
  Path out;

  @Override
  public Integer call() throws Exception {
    Properties client = kafka.properties(bootstrapServers);
    SchemaRegistryClient registry = registryUrl == null
        ? null : new SchemaRegistryClient(AvroSerdeConfig.withRegistry(registryUrl));
    var counts = TopicRecording.record(client, registry, topics, out);
    counts.forEach((topic, n) -> System.out.printf("%-28s %10d records%n", topic, n));
    System.out.println("wrote " + out);
    return 0;
  }
}
