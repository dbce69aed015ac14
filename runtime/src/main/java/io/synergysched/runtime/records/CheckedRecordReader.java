package io.synergysched.runtime.records;

import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.DeadLetterRecords;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.UndecodableRecordException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * How a component takes a record it did not write: decode the value, turn it into the form the
 * component uses, check that against the record type's rules, then hand it over, or build the
 * record's dead letter (where it was, why, its bytes) and give that to the caller's sink. The
 * router's inbound loop, the engine-connector's routed-request and LENS-hint loops and the
 * model-trainer's step and request-event processors all read this way, with one stage name each.
 *
 * <p>Undecodable bytes, a null value (a tombstone where none belongs), a conversion that throws
 * {@link IllegalArgumentException} (the record breaks its type's invariants) and a rule's problem
 * are dead letters; anything else a conversion or rule throws propagates. So does {@link
 * io.synergysched.schemas.serde.SchemaRegistryUnavailableException}: a record whose schema the
 * registry could not be asked about is not known to be bad, and the caller keeps it ({@link
 * RegistryHold}). Thread-safe when the
 * conversion, the rule and the clock are (those of this package are).
 *
 * @param <T> the Avro record on the topic
 * @param <V> what the caller gets: the record itself, or its core form
 */
public final class CheckedRecordReader<T extends SpecificRecord, V> {

  /** A record type's rules, as the reader applies them. */
  @FunctionalInterface
  public interface Rule<V> {
    /**
     * @param key the record's key, or null when it has none
     * @param value the decoded (and converted) value, never null
     * @return why the value cannot be used, or null when it can
     */
    String problem(String key, V value);
  }

  /** Where the dead letter of a rejected record goes; called once per rejected record. */
  @FunctionalInterface
  public interface DeadLetterSink {
    /**
     * @param key the rejected record's key (null when it has none), the dead letter's key
     * @param letter the dead letter, with the source coordinates, stage, reason and bytes
     */
    void deadLetter(String key, DeadLetter letter);
  }

  private final AvroRecordCodec<T> codec;
  private final String stage;
  private final String invalidAs;
  private final Function<T, V> convert;
  private final Rule<V> rule;
  private final LongSupplier clock;

  private CheckedRecordReader(AvroRecordCodec<T> codec, String stage, String invalidAs,
      Function<T, V> convert, Rule<V> rule, LongSupplier clock) {
    this.codec = codec;
    this.stage = stage;
    this.invalidAs = invalidAs;
    this.convert = convert;
    this.rule = rule;
    this.clock = clock;
  }

  /**
   * A reader that hands over the decoded record itself.
   *
   * @param stage component and step that reads, the dead letters' stage, e.g.
   *     {@code router-consumer/validate-request}
   * @param clock when a record is dead-lettered (epoch ms); read only then
   */
  public static <T extends SpecificRecord> CheckedRecordReader<T, T> checking(
      AvroRecordCodec<T> codec, String stage, Rule<T> rule, LongSupplier clock) {
    return new CheckedRecordReader<>(codec, stage, codec.schema().getName(), Function.identity(),
        rule, clock);
  }

  /**
   * A reader that hands over the decoded record's core form.
   *
   * @param invalidAs what the record is, for the reason when {@code convert} refuses it: the dead
   *     letter then says {@code invalid <invalidAs>: <the exception's message>}
   * @param convert builds the core form; throws {@link IllegalArgumentException} for a record
   *     that breaks the type's invariants
   */
  public static <T extends SpecificRecord, V> CheckedRecordReader<T, V> converting(
      AvroRecordCodec<T> codec, String stage, String invalidAs, Function<T, V> convert,
      Rule<V> rule, LongSupplier clock) {
    return new CheckedRecordReader<>(codec, stage, invalidAs, convert, rule, clock);
  }

  /** The stage this reader names in its dead letters. */
  public String stage() {
    return stage;
  }

  /**
   * Reads a consumed record.
   *
   * @return the checked value, or null after the record's dead letter went to {@code sink}
   */
  public V read(ConsumerRecord<String, byte[]> record, DeadLetterSink sink) {
    return read(record.topic(), record.partition(), record.offset(), record.key(), record.value(),
        sink);
  }

  /**
   * Reads a record's key and value bytes.
   *
   * @param topic, partition, offset where the record came from (-1 when unknown)
   * @return the checked value, or null after the record's dead letter went to {@code sink}
   */
  public V read(String topic, int partition, long offset, String key, byte[] value,
      DeadLetterSink sink) {
    T decoded;
    try {
      decoded = codec.decode(topic, partition, offset, value);
    } catch (UndecodableRecordException e) {
      return reject(topic, partition, offset, key, value, e.reason(), e, sink);
    }
    if (decoded == null) {
      return reject(topic, partition, offset, key, null,
          "null value (a tombstone is not a " + codec.schema().getName() + ")", null, sink);
    }
    V converted;
    try {
      converted = convert.apply(decoded);
    } catch (IllegalArgumentException e) {
      return reject(topic, partition, offset, key, value,
          "invalid " + invalidAs + ": " + e.getMessage(), e, sink);
    }
    String problem = rule.problem(key, converted);
    if (problem != null) {
      return reject(topic, partition, offset, key, value, problem, null, sink);
    }
    return converted;
  }

  private V reject(String topic, int partition, long offset, String key, byte[] value,
      String reason, Throwable cause, DeadLetterSink sink) {
    sink.deadLetter(key, DeadLetterRecords.of(
        topic, partition, offset, key, value, stage, reason, cause, clock.getAsLong()));
    return null;
  }
}
