package io.synergysched.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.RecordedRecord;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.simulator.scenario.ScenarioLoader;
import io.synergysched.simulator.scenario.ScenarioRunner;
import io.synergysched.simulator.trace.TraceFormat;
import io.synergysched.simulator.trace.TraceFormatException;
import io.synergysched.simulator.trace.TraceLoader;
import io.synergysched.simulator.trace.TraceRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InboundRequestRecordingTest {

  private static final long EPOCH_MS = 1_700_000_000_000L;

  @TempDir Path dir;

  private final List<RecordedRecord> records = new ArrayList<>();

  private static InferenceRequest.Builder request(String id, long arrivalMs) {
    return InferenceRequest.newBuilder().setRequestId(id).setArrivalTimeMs(EPOCH_MS + arrivalMs)
        .setPromptTokens(600).setMaxOutputTokens(200);
  }

  private <T extends SpecificRecord> void add(String topic, Class<T> type, T value) {
    byte[] bytes = new AvroRecordCodec<>(type, (SchemaRegistryClient) null).encode(topic + "-value", value);
    records.add(RecordedRecord.newBuilder().setTopic(topic).setPartition(0).setOffset(records.size())
        .setTimestampMs(EPOCH_MS).setKey("k").setValue(ByteBuffer.wrap(bytes)).build());
  }

  private void inbound(InferenceRequest value) {
    add(Topics.REQUESTS_INBOUND.name(), InferenceRequest.class, value);
  }

  private Path write() throws IOException {
    Path file = dir.resolve("recording.avro");
    try (DataFileWriter<RecordedRecord> writer = new DataFileWriter<>(new SpecificDatumWriter<>(RecordedRecord.class))) {
      writer.create(RecordedRecord.getClassSchema(), file.toFile());
      for (RecordedRecord r : records) {
        writer.append(r);
      }
    }
    return file;
  }

  @Test
  void shouldMapEveryRecordedRequestToATraceRequestWhenReadAsATrace() throws IOException {
    inbound(request("b", 250).setExpectedOutputTokens(80).setSloTtftMs(400).setSloTpotMs(40)
        .setSessionId("chat-7").setPrefixBlockHashes(List.of(11L, 12L)).build());
    inbound(request("a", 0).build());
    inbound(request("c", 900).setExpectedOutputTokens(500).build());
    inbound(request("b", 260).build());
    // 16-token hash blocks: the 32nd and the last hash end the simulator's 512-token blocks
    List<Long> fine = new ArrayList<>();
    for (long h = 1; h <= 37; h++) {
      fine.add(h);
    }
    inbound(request("d", 1000).setPrefixBlockSizeTokens(16).setPrefixBlockHashes(fine).build());
    add(Topics.ENGINE_REQUESTS.name(), RequestEvent.class, RequestEvent.newBuilder().setEngineId("e0")
        .setRequestId("a").setType(RequestEventType.FINISHED).setEventTimeMs(EPOCH_MS + 5000)
        .setArrivalTimeMs(EPOCH_MS).setPromptTokens(600).setOutputTokens(123).build());
    records.add(RecordedRecord.newBuilder().setTopic(Topics.REQUESTS_INBOUND.name()).setPartition(0)
        .setOffset(99).setTimestampMs(EPOCH_MS).setKey("gone").setValue(null).build());

    List<TraceRequest> trace = TraceLoader.load(write(), TraceFormat.RECORDING, null, InboundRequestRecording::read);

    assertThat(trace).extracting(TraceRequest::arrivalMs).containsExactly(0.0, 250.0, 900.0, 1000.0);
    assertThat(trace).extracting(TraceRequest::outputTokens)
        .as("produced (FINISHED), expected, expected capped at the maximum, maximum")
        .containsExactly(123, 80, 200, 200);
    TraceRequest b = trace.get(1);
    assertThat(b.sloTtftMs()).isEqualTo(400);
    assertThat(b.sloTpotMs()).isEqualTo(40);
    assertThat(b.sessionId()).isEqualTo("chat-7");
    assertThat(b.prefixHashes()).containsExactly(11L, 12L);
    assertThat(trace.get(0).sloTtftMs()).isNaN();
    assertThat(trace.get(3).prefixHashes()).containsExactly(32L, 37L);
  }

  @Test
  void shouldReplayARecordingAgainstAPolicyWhenAScenarioNamesFormatRecording() throws IOException {
    for (int i = 0; i < 40; i++) {
      inbound(request("r" + i, i * 100L).setExpectedOutputTokens(20 + i).build());
    }
    Path recording = write();
    Path scenario = dir.resolve("replay.yaml");
    Files.writeString(scenario, String.join("\n", "name: replay", "seed: 1",
        "engines: [{gpu: a100, model: llama-2-7b, count: 2}]",
        "trace: {path: " + recording + ", format: recording}", "slo: {ttft_ms: 1000, tpot_ms: 100}",
        "rate_scales: [1]", "routers: [round-robin, prism]", "schedulers: [vllm-default]", ""));

    new ScenarioRunner(ScenarioLoader.load(scenario), scenario, null, null, InboundRequestRecording::read)
        .run(dir.resolve("out"));

    List<String> rows = Files.readAllLines(dir.resolve("out/results.csv"));
    assertThat(rows).hasSize(3);
    assertThat(rows.get(1)).startsWith("replay,as-shipped,round-robin,vllm-default,1,40,");
  }

  @Test
  void shouldSayWhatTheFileHoldsWhenItHasNoInboundRequests() throws IOException {
    add(Topics.ENGINE_REQUESTS.name(), RequestEvent.class, RequestEvent.newBuilder().setEngineId("e0")
        .setRequestId("a").setType(RequestEventType.QUEUED).setEventTimeMs(EPOCH_MS)
        .setArrivalTimeMs(EPOCH_MS).setPromptTokens(600).setOutputTokens(0).build());
    Path file = write();

    assertThatThrownBy(() -> InboundRequestRecording.read(file))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageContaining("no synergy.requests.inbound records; the file holds [synergy.engine.requests]");
  }

  @Test
  void shouldNameTheRecordWhenAValueCannotBeDecoded() throws IOException {
    inbound(request("a", 0).build());
    records.add(RecordedRecord.newBuilder().setTopic(Topics.REQUESTS_INBOUND.name()).setPartition(2)
        .setOffset(17).setTimestampMs(EPOCH_MS).setKey("bad").setValue(ByteBuffer.wrap(new byte[] {1, 2, 3})).build());
    Path file = write();

    assertThatThrownBy(() -> InboundRequestRecording.read(file))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageContaining("line 2: record 2 of synergy.requests.inbound (partition 2, offset 17)");
  }

  @Test
  void shouldFailWhenTheHashBlockSizeDoesNotDivideTheSimulatorsBlocks() throws IOException {
    inbound(request("a", 0).setPrefixBlockSizeTokens(768).setPrefixBlockHashes(List.of(1L)).build());
    Path file = write();

    assertThatThrownBy(() -> InboundRequestRecording.read(file))
        .hasMessageContaining("prefixBlockSizeTokens 768 does not divide the simulator's 512-token hash blocks");
  }

  @Test
  void shouldSayTheSimulatorCannotReadRecordingsWithoutTheLauncher() throws IOException {
    inbound(request("a", 0).build());
    Path file = write();

    assertThatThrownBy(() -> TraceLoader.load(file, TraceFormat.RECORDING, null))
        .hasMessageContaining("only the synergysched launcher reads");
  }
}
