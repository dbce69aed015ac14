package io.synergysched.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EngineEligibilityTest {

  /** e0: llama-2-7b up to 4096 tokens; e1: llama-2-7b up to 32768; e2: llama-2-70b up to 4096. */
  private static List<TestEngine> cluster() {
    TestEngine e0 = new TestEngine("e0", "a100");
    e0.maxModelLen = 4096;
    TestEngine e1 = new TestEngine("e1", "h100");
    e1.maxModelLen = 32_768;
    TestEngine e2 = new TestEngine("e2", "h100");
    e2.servedModel = "llama-2-70b";
    e2.maxModelLen = 4096;
    return List.of(e0, e1, e2);
  }

  static Stream<Arguments> cases() {
    String other = EngineEligibility.OTHER_MODEL;
    String tooLong = EngineEligibility.TOO_LONG;
    return Stream.of(
        // model, prompt, output, which engines are excluded and why, refusal
        Arguments.of(null, 1000, 100, new String[] {null, null, null}, null),
        Arguments.of(" ", 1000, 100, new String[] {null, null, null}, null),
        Arguments.of("llama-2-7b", 1000, 100, new String[] {null, null, other}, null),
        Arguments.of("LLAMA-2-70B", 1000, 100, new String[] {other, other, null}, null),
        // exactly max_model_len fits, one token more does not (vLLM: prompt + max_tokens)
        Arguments.of("llama-2-7b", 4000, 96, new String[] {null, null, other}, null),
        Arguments.of("llama-2-7b", 4000, 97, new String[] {tooLong, null, other}, null),
        Arguments.of(null, 8000, 100, new String[] {tooLong, null, tooLong}, null),
        Arguments.of("llama-2-70b", 8000, 100, new String[] {other, other, tooLong},
            "prompt of 8000 tokens plus up to 100 output tokens is longer than any engine of model"
                + " 'llama-2-70b' accepts (largest max_model_len 4096)"),
        Arguments.of(null, 40_000, 100, new String[] {tooLong, tooLong, tooLong},
            "prompt of 40000 tokens plus up to 100 output tokens is longer than any engine accepts"
                + " (largest max_model_len 32768)"),
        Arguments.of("mistral-7b", 100, 10, new String[] {other, other, other},
            "no engine serves model 'mistral-7b' (the cluster serves [llama-2-70b, llama-2-7b])"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void shouldExcludeEnginesOfAnotherModelOrTooShortAContextWhenTheRequestNeedsThem(
      String model, int prompt, int output, String[] excluded, String refusal) {
    List<TestEngine> engines = cluster();

    EngineEligibility.Result r = EngineEligibility.of(engines, model, prompt, output);

    boolean none = Stream.of(excluded).allMatch(x -> x == null);
    if (none) {
      assertThat(r.excludedBy()).isNull();
      assertThat(r.engines()).isSameAs(engines);
    } else {
      assertThat(r.excludedBy()).containsExactly(excluded);
    }
    assertThat(r.refusal()).isEqualTo(refusal);
    String refusedFor = refusal == null ? null
        : refusal.startsWith("no engine serves") ? EngineEligibility.OTHER_MODEL : EngineEligibility.TOO_LONG;
    assertThat(r.refusedFor()).isEqualTo(refusedFor);
    assertThat(r.engines()).hasSize(3);
    for (int k = 0; k < 3; k++) {
      EngineView seen = r.engines().get(k);
      assertThat(seen.engineId()).isEqualTo(engines.get(k).engineId());
      assertThat(seen.available()).as("engine %d available", k).isEqualTo(excluded[k] == null);
    }
  }

  @Test
  void shouldLeaveTheRefusalToThePolicyWhenNoEngineIsAvailable() {
    List<TestEngine> engines = cluster();
    engines.forEach(e -> e.available = false);

    EngineEligibility.Result r = EngineEligibility.of(engines, "mistral-7b", 100, 10);

    assertThat(r.refusal()).isNull();
    assertThat(r.excludedBy()).isNull();
  }

  @Test
  void shouldNeverChooseAnExcludedEngineWhenARouterRoutesOverTheMaskedList() {
    List<TestEngine> engines = cluster();
    engines.get(0).waiting = 50; // least-loaded would pick e2 without the mask
    engines.get(1).waiting = 40;
    Router router = RouterRegistry.create("least-request");

    EngineEligibility.Result r = EngineEligibility.of(engines, "llama-2-7b", 100, 10);

    assertThat(router.route(TestEngine.request(1, 0, 100), r.engines())).isEqualTo(1);
  }
}
