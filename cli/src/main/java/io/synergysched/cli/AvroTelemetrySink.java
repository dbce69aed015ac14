package io.synergysched.cli;

import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.simulator.scenario.StepTelemetrySink;
import io.synergysched.runtime.mapping.TelemetryMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Writes simulated step telemetry as an Avro object container file of {@link StepTelemetry}
 * records. One file holds every run of a scenario, so each record's engine id is prefixed with
 * its run: {@code router/scheduler/rate_scale/engine}.
 */
final class AvroTelemetrySink implements StepTelemetrySink {

  private final Path file;
  private final DataFileWriter<StepTelemetry> writer;

  private AvroTelemetrySink(Path file) {
    this.file = file;
    this.writer = new DataFileWriter<>(new SpecificDatumWriter<>(StepTelemetry.class));
    try {
      writer.setCodec(CodecFactory.deflateCodec(3));
      writer.setMeta("synergysched.engine_id", "router/scheduler/rate_scale/engine");
      writer.create(StepTelemetry.getClassSchema(), file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file, e);
    }
  }

  static StepTelemetrySink open(Path file) {
    return new AvroTelemetrySink(file);
  }

  @Override
  public void write(String run, StepObservation s) {
    StepTelemetry record = TelemetryMapping.toTelemetry(s);
    record.setEngineId(run + "/" + s.engineId());
    try {
      writer.append(record);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file, e);
    }
  }
}
