package io.synergysched.core.scheduling;

import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.util.Map;
import java.util.TreeMap;

/**
 * One batch-scheduler variant as configuration: a scheduler type and that type's parameters.
 * Immutable. In properties form (keys under {@code scheduler.NAME.}):
 *
 * <pre>
 * scheduler.vllm-2048.type         = fcfs-chunked-prefill
 * scheduler.vllm-2048.token-budget = 2048
 * scheduler.vllm-2048-shed.extends = vllm-2048        (everything of vllm-2048, then these keys)
 * scheduler.vllm-2048-shed.shed-after-ttft-multiple = 1
 * </pre>
 *
 * @param name kebab-case profile name, the scheduler's name in scenarios and configuration
 * @param type registered scheduler type ({@link BatchSchedulerRegistry#types()})
 * @param params the type's parameters by key (without the {@code scheduler.NAME.} prefix), each
 *     one the type declares
 */
public record SchedulerProfile(String name, String type, Map<String, String> params) {

  public SchedulerProfile {
    params = Map.copyOf(params);
  }

  /**
   * This profile's value of {@code parameter}, one of its type's declared parameters, or the
   * declared default.
   *
   * @throws IllegalArgumentException naming the full key {@code scheduler.NAME.KEY} when the
   *     value is bad
   */
  public <T> T get(Setting<T> parameter) {
    return parameter.under(prefix()).read(fullKeys());
  }

  /**
   * Checks every parameter against the declarations of the profile's type.
   *
   * @throws IllegalArgumentException naming the full key of an unknown or bad parameter
   */
  SchedulerProfile validate(Settings declared) {
    params.forEach((key, value) -> {
      Setting<?> setting = declared.get(key);
      if (setting == null) {
        throw new IllegalArgumentException(prefix() + key + ": scheduler type " + type + " has no such parameter"
            + (declared.keys().isEmpty() ? " (it has none)" : ", it has " + String.join(", ", declared.keys())));
      }
      setting.under(prefix()).read(fullKeys());
    });
    return this;
  }

  private String prefix() {
    return "scheduler." + name + ".";
  }

  private Map<String, String> fullKeys() {
    Map<String, String> out = new TreeMap<>();
    params.forEach((k, v) -> out.put(prefix() + k, v));
    return out;
  }
}
