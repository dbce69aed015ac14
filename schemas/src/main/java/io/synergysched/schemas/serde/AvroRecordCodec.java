package io.synergysched.schemas.serde;

import io.synergysched.schemas.ReleasedSchemas;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Turns one generated Avro record type into bytes and back, in either of two framings:
 *
 * <ul>
 *   <li>Confluent wire format, when a registry is configured: magic byte 0, the writer schema's
 *       4-byte big-endian registry id, then Avro binary;
 *   <li>Avro single-object encoding otherwise: marker {@code C3 01}, the writer schema's 8-byte
 *       little-endian CRC-64-AVRO fingerprint, then Avro binary.
 * </ul>
 *
 * <p>Decoding recognises both framings whatever the configuration, so consumers keep working while
 * producers move from one to the other. Records written with any released version of the schema are
 * resolved to the current one. Anything else (unknown framing, unknown schema id or fingerprint,
 * truncated or trailing bytes, invalid Avro) raises {@link UndecodableRecordException}: decoding
 * never returns a half-read record. A schema id the registry gives no definite answer for
 * (unreachable, timeout, 5xx, refused) raises {@link SchemaRegistryUnavailableException} instead:
 * the record is kept and decoded again later, never dead-lettered for it. Thread-safe.
 *
 * @param <T> the generated record class
 */
public final class AvroRecordCodec<T extends SpecificRecord> {

  static final byte CONFLUENT_MAGIC = 0;
  static final byte SINGLE_OBJECT_MARKER_0 = (byte) 0xC3;
  static final byte SINGLE_OBJECT_MARKER_1 = 0x01;
  private static final int CONFLUENT_HEADER = 5;
  private static final int SINGLE_OBJECT_HEADER = 10;

  private final Class<T> type;
  private final Schema schema;
  private final long fingerprint;
  private final SchemaRegistryClient registry;
  private final SpecificDatumWriter<T> writer;
  private final Map<Long, DatumReader<T>> readersByFingerprint = new ConcurrentHashMap<>();
  private final Map<Integer, DatumReader<T>> readersByRegistryId = new ConcurrentHashMap<>();

  /**
   * @param type generated record class
   * @param config registry settings; without a registry URL, single-object encoding is written
   */
  public AvroRecordCodec(Class<T> type, AvroSerdeConfig config) {
    this(type, config.usesRegistry() ? new SchemaRegistryClient(config) : null);
  }

  /**
   * @param registry client to use, shared between codecs, or null for single-object encoding
   */
  public AvroRecordCodec(Class<T> type, SchemaRegistryClient registry) {
    this.type = type;
    this.schema = SpecificData.get().getSchema(type);
    this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    this.registry = registry;
    this.writer = new SpecificDatumWriter<>(schema);
    readersByFingerprint.put(fingerprint, new SpecificDatumReader<>(schema, schema));
    for (Schema released : ReleasedSchemas.history(schema.getName())) {
      readersByFingerprint.putIfAbsent(
          SchemaNormalization.parsingFingerprint64(released),
          new SpecificDatumReader<>(released, schema));
    }
  }

  public Class<T> type() {
    return type;
  }

  public Schema schema() {
    return schema;
  }

  /** True when this codec writes the Confluent wire format. */
  public boolean usesRegistry() {
    return registry != null;
  }

  /**
   * Encodes a record for a topic.
   *
   * @param subject registry subject (e.g. {@code topic-value}); ignored without a registry
   * @param record the record, not null
   * @throws SerializationException when the record does not fit its schema or the registry refuses
   */
  public byte[] encode(String subject, T record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try {
      if (registry != null) {
        int id = registry.idFor(subject, schema);
        out.write(CONFLUENT_MAGIC);
        out.write(ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(id).array());
      } else {
        out.write(SINGLE_OBJECT_MARKER_0);
        out.write(SINGLE_OBJECT_MARKER_1);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(fingerprint).array());
      }
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writer.write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      if (e instanceof SchemaRegistryException registryError) {
        throw new SerializationException(
            "cannot register " + schema.getFullName() + " under subject '" + subject + "': "
                + registryError.getMessage(), registryError);
      }
      throw new SerializationException(
          "cannot encode " + schema.getFullName() + " for subject '" + subject + "': " + e, e);
    }
  }

  /**
   * Decodes a record's value bytes.
   *
   * @param topic, partition, offset where the bytes came from (partition and offset -1 when unknown)
   * @param data the bytes; null (a tombstone) decodes to null
   * @throws UndecodableRecordException naming topic, partition, offset and the reason
   * @throws SchemaRegistryUnavailableException when the registry gave no definite answer about the
   *     record's schema id (retry later; the record is not known to be bad)
   */
  public T decode(String topic, int partition, long offset, byte[] data) {
    if (data == null) {
      return null;
    }
    if (data.length == 0) {
      throw new UndecodableRecordException(topic, partition, offset, "empty value", null);
    }
    DatumReader<T> reader;
    int headerLength;
    if (data[0] == CONFLUENT_MAGIC) {
      if (data.length < CONFLUENT_HEADER) {
        throw new UndecodableRecordException(
            topic, partition, offset,
            "truncated Confluent wire-format header (" + data.length + " bytes)", null);
      }
      int id = ByteBuffer.wrap(data, 1, 4).order(ByteOrder.BIG_ENDIAN).getInt();
      reader = readerForRegistryId(topic, partition, offset, id);
      headerLength = CONFLUENT_HEADER;
    } else if (data[0] == SINGLE_OBJECT_MARKER_0
        && (data.length == 1 || data[1] == SINGLE_OBJECT_MARKER_1)) {
      if (data.length < SINGLE_OBJECT_HEADER) {
        throw new UndecodableRecordException(
            topic, partition, offset,
            "truncated single-object header (" + data.length + " bytes)", null);
      }
      long writerFingerprint = ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      reader = readersByFingerprint.get(writerFingerprint);
      if (reader == null) {
        throw new UndecodableRecordException(
            topic, partition, offset,
            String.format(
                "unknown writer schema fingerprint %016x for %s (not this or any released version)",
                writerFingerprint, schema.getFullName()),
            null);
      }
      headerLength = SINGLE_OBJECT_HEADER;
    } else {
      throw new UndecodableRecordException(
          topic, partition, offset,
          String.format(
              "unknown framing: first byte 0x%02x is neither the Confluent magic byte 0x00 nor the"
                  + " single-object marker 0xC3 0x01",
              data[0] & 0xff),
          null);
    }
    BinaryDecoder decoder =
        DecoderFactory.get().binaryDecoder(data, headerLength, data.length - headerLength, null);
    T record;
    try {
      record = reader.read(null, decoder);
    } catch (EOFException e) {
      throw new UndecodableRecordException(
          topic, partition, offset,
          "truncated " + schema.getName() + " body (" + data.length + " bytes in all)", e);
    } catch (IOException | RuntimeException e) {
      throw new UndecodableRecordException(
          topic, partition, offset, "invalid " + schema.getName() + " body: " + e, e);
    }
    try {
      if (!decoder.isEnd()) {
        throw new UndecodableRecordException(
            topic, partition, offset,
            "trailing bytes after a complete " + schema.getName() + " record", null);
      }
    } catch (IOException e) {
      throw new UndecodableRecordException(topic, partition, offset, "cannot read input: " + e, e);
    }
    return record;
  }

  /**
   * Decodes a consumed record's value, naming its topic, partition and offset on failure.
   *
   * @throws UndecodableRecordException when the value cannot be decoded
   */
  public T decodeValue(ConsumerRecord<?, byte[]> record) {
    return decode(record.topic(), record.partition(), record.offset(), record.value());
  }

  private DatumReader<T> readerForRegistryId(String topic, int partition, long offset, int id) {
    DatumReader<T> cached = readersByRegistryId.get(id);
    if (cached != null) {
      return cached;
    }
    if (registry == null) {
      throw new UndecodableRecordException(
          topic, partition, offset,
          "record is in Confluent wire format (schema id " + id + ") but no "
              + AvroSerdeConfig.REGISTRY_URL + " is configured",
          null);
    }
    Schema writerSchema;
    try {
      writerSchema = registry.schemaById(id);
    } catch (SchemaRegistryException e) {
      if (e.isNotFound()) {
        throw new UndecodableRecordException(
            topic, partition, offset, "unknown schema id " + id + ": the registry does not know it",
            e);
      }
      // no definite answer (unreachable, timeout, 5xx, refused): the record may well be valid
      throw new SchemaRegistryUnavailableException(topic, partition, offset, id, e);
    } catch (RuntimeException e) {
      throw new UndecodableRecordException(
          topic, partition, offset, "schema id " + id + " is not a valid Avro schema: " + e, e);
    }
    String problem = readProblem(id, writerSchema);
    if (problem != null) {
      throw new UndecodableRecordException(topic, partition, offset, problem, null);
    }
    DatumReader<T> reader = new SpecificDatumReader<>(writerSchema, schema);
    readersByRegistryId.put(id, reader);
    return reader;
  }

  /**
   * Why records written with {@code writerSchema} (registry id {@code id}) cannot be read as this
   * codec's type, or null when they can. Short: the two record types by name when they differ,
   * otherwise the first incompatibility and where it is (never the schemas themselves, which run to
   * thousands of characters).
   */
  String readProblem(int id, Schema writerSchema) {
    SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(schema, writerSchema);
    if (compatibility.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      return null;
    }
    String writerName = writerSchema.getType() == Schema.Type.RECORD
        ? writerSchema.getFullName() : "a " + writerSchema.getType().getName() + " schema";
    if (!writerSchema.getFullName().equals(schema.getFullName())) {
      return "schema id " + id + " is " + writerName + ", expected " + schema.getFullName();
    }
    List<SchemaCompatibility.Incompatibility> problems =
        compatibility.getResult().getIncompatibilities();
    if (problems.isEmpty()) {
      return "schema id " + id + " (" + writerName + ") cannot be read as " + schema.getFullName();
    }
    SchemaCompatibility.Incompatibility first = problems.get(0);
    String message = first.getMessage();
    if (message.length() > 200) {
      message = message.substring(0, 200) + "...";
    }
    return "schema id " + id + " is a version of " + schema.getFullName()
        + " this reader cannot read: " + first.getType() + " at " + readable(first.getLocation()) + " ("
        + message + ")" + (problems.size() > 1 ? " and " + (problems.size() - 1) + " more" : "");
  }

  /** A compatibility location ({@code /fields/2/type}) with the top-level field named. */
  private String readable(String location) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^/fields/(\\d+)(.*)$").matcher(location);
    if (m.matches() && schema.getType() == Schema.Type.RECORD) {
      int index = Integer.parseInt(m.group(1));
      if (index < schema.getFields().size()) {
        return "field " + schema.getFields().get(index).name() + " (" + location + ")";
      }
    }
    return location;
  }
}
