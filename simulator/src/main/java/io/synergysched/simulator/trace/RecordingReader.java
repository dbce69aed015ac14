package io.synergysched.simulator.trace;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads recorded production traffic (trace format {@code recording}: a {@code synergysched
 * record} file of {@code synergy.requests.inbound}) as a trace. The simulator does not depend on
 * Avro or Kafka, so the launcher module supplies the reader, the way it supplies the telemetry
 * writer.
 */
@FunctionalInterface
public interface RecordingReader {

  /**
   * @return the recorded requests, in any order, with arrivals in ms on any common clock (the
   *     loader sorts them and re-bases them to the first); never empty
   * @throws TraceFormatException naming the record that cannot be read
   */
  List<TraceRequest> read(Path file);
}
