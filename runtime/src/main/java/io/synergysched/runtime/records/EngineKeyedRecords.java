package io.synergysched.runtime.records;

/**
 * The rule every engine-keyed topic shares: a record's key is the engine id inside it. Kafka
 * partitions by the key while readers act on the id inside, so a record whose two disagree would
 * be applied to one engine by the task or process that owns another.
 */
final class EngineKeyedRecords {

  private EngineKeyedRecords() {}

  /**
   * @param key the record's key; null passes (nothing to disagree with: readers that route by the
   *     key drop keyless records before they check them)
   * @param engineId the engine id inside the record, not null
   * @param record what the record is, for the reason, e.g. {@code step}
   * @return why the key and the id disagree, or null
   */
  static String keyProblem(String key, String engineId, String record) {
    if (key == null || key.equals(engineId)) {
      return null;
    }
    return "record key '" + key + "' is not the " + record + "'s engineId '" + engineId + "'";
  }
}
