package io.synergysched.runtime.records;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EngineDescriptorRulesTest {

  @Test
  void shouldAcceptADescriptorWhenKeyedByItsEngine() {
    assertThat(EngineDescriptorRules.problem("e0", ValidRecords.descriptor("e0").build())).isNull();
  }

  @Test
  void shouldRejectADescriptorWhenItsKeyNamesAnotherEngine() {
    assertThat(EngineDescriptorRules.problem("e1", ValidRecords.descriptor("e0").build()))
        .isEqualTo("record key 'e1' is not the descriptor's engineId 'e0'");
  }

  @Test
  void shouldRejectADescriptorWhenACapacityIsNotPositiveOrATimeIsNegative() {
    assertThat(EngineDescriptorRules.problem("e0",
        ValidRecords.descriptor("e0").setTensorParallel(-1).build()))
        .isEqualTo("non-positive engine capacity");
    assertThat(EngineDescriptorRules.problem("e0",
        ValidRecords.descriptor("e0").setMaxModelLen(0).build()))
        .isEqualTo("non-positive engine capacity");
    assertThat(EngineDescriptorRules.problem("e0",
        ValidRecords.descriptor("e0").setHeartbeatMs(-1).build()))
        .isEqualTo("negative time");
  }
}
