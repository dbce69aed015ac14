package io.synergysched.connector.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VllmConfigTest {

  private static Map<String, String> required() {
    Map<String, String> p = new HashMap<>();
    p.put("synergy.vllm.endpoint", "http://127.0.0.1:8000/");
    p.put("synergy.vllm.served-model", "meta-llama/Llama-3.1-8B-Instruct");
    p.put("synergy.vllm.engine-id", "vllm-0");
    p.put("synergy.vllm.gpu", "h100");
    p.put("synergy.vllm.model-label", "llama-3-8b");
    return p;
  }

  @Test
  void shouldApplyDefaultsWhenOnlyRequiredKeysAreGiven() {
    VllmConfig c = VllmConfig.fromProperties(required());

    assertThat(c.endpoint().toString()).isEqualTo("http://127.0.0.1:8000");
    assertThat(c.api()).isEqualTo(VllmConfig.ApiStyle.COMPLETIONS);
    assertThat(c.prompt()).isEqualTo(VllmConfig.PromptMode.TOKEN_IDS);
    assertThat(c.generationPath()).isEqualTo("/v1/completions");
    assertThat(c.requestTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.scrapeInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.maxConcurrentStreams()).isEqualTo(256);
    assertThat(c.ignoreEos()).isTrue();
    assertThat(c.tensorParallel()).isEqualTo(1);
    assertThat(c.metricsPath()).isEqualTo("/metrics");
  }

  @Test
  void shouldDeclareEveryKeyItNamesWhenAskedForItsSettings() throws Exception {
    java.util.List<String> named = new java.util.ArrayList<>();
    for (java.lang.reflect.Field f : VllmConfig.class.getFields()) {
      if (f.getType() == String.class && java.lang.reflect.Modifier.isStatic(f.getModifiers())
          && !f.getName().equals("PREFIX")) {
        named.add((String) f.get(null));
      }
    }

    assertThat(VllmConfig.SETTINGS.keys()).containsExactlyInAnyOrderElementsOf(named)
        .allMatch(k -> k.startsWith(VllmConfig.PREFIX));
  }

  @Test
  void shouldDefaultToTextPromptsWhenApiIsChat() {
    Map<String, String> p = required();
    p.put("synergy.vllm.api", "chat");

    VllmConfig c = VllmConfig.fromProperties(p);

    assertThat(c.prompt()).isEqualTo(VllmConfig.PromptMode.TEXT);
    assertThat(c.generationPath()).isEqualTo("/v1/chat/completions");
  }

  @Test
  void shouldHideTheApiKeyWhenPrinted() {
    Map<String, String> p = required();
    p.put("synergy.vllm.api-key", "secret-token");

    assertThat(VllmConfig.fromProperties(p).toString()).doesNotContain("secret-token").contains("***");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', nullValues = "<null>", value = {
      "synergy.vllm.endpoint               | <null>              | is required",
      "synergy.vllm.endpoint               | ftp://host:1        | must be an http(s) URL",
      "synergy.vllm.endpoint               | http://h:1/v1       | without /v1",
      "synergy.vllm.endpoint               | http://h:1/?a=b     | without query",
      "synergy.vllm.served-model           | <null>              | is required",
      "synergy.vllm.api                    | grpc                | must be one of completions, chat",
      "synergy.vllm.prompt                 | words               | must be one of token-ids, text",
      "synergy.vllm.request-timeout-ms     | 0                   | must be >= 1",
      "synergy.vllm.request-timeout-ms     | soon                | must be a whole number",
      "synergy.vllm.scrape-interval-ms     | -5                  | must be >= 1",
      "synergy.vllm.metrics-path           | metrics             | must be a path starting with '/'",
      "synergy.vllm.max-concurrent-streams | 0                   | must be >= 1",
      "synergy.vllm.max-pending            | -1                  | must be >= 0",
      "synergy.vllm.ignore-eos             | yes                 | must be true or false",
      "synergy.vllm.prompt-token-id-max    | 10                  | must exceed synergy.vllm.prompt-token-id-min",
      "synergy.vllm.engine-id              | <null>              | is required",
      "synergy.vllm.gpu                    | H100                | must be lower case",
      "synergy.vllm.model-label            | <null>              | is required",
      "synergy.vllm.tensor-parallel        | 0                   | must be >= 1",
      "synergy.vllm.block-size             | 0                   | must be >= 1",
      "synergy.vllm.max-model-len          | 1                   | must be >= 2",
  })
  void shouldNameTheKeyWhenAValueIsBad(String key, String value, String problem) {
    Map<String, String> p = required();
    if (value == null) {
      p.remove(key);
    } else {
      p.put(key, value);
    }

    assertThatThrownBy(() -> VllmConfig.fromProperties(p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(key + " ")
        .hasMessageContaining(problem);
  }

  @Test
  void shouldRejectTokenIdPromptsWhenApiIsChat() {
    Map<String, String> p = required();
    p.put("synergy.vllm.api", "chat");
    p.put("synergy.vllm.prompt", "token-ids");

    assertThatThrownBy(() -> VllmConfig.fromProperties(p))
        .hasMessageStartingWith("synergy.vllm.prompt token-ids needs api=completions");
  }
}
