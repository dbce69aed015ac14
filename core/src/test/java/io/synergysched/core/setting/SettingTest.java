package io.synergysched.core.setting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingTest {

  enum Mode { AS_SHIPPED, PLACEMENT_ONLY }

  private static final Setting<Long> PORT = Setting.whole("x.port", 7070, 0, 65_535, "the port");
  private static final Setting<Double> MARGIN = Setting.number("x.margin", 0.7, 0, 1, "a fraction");
  private static final Setting<Duration> TIMEOUT = Setting.millis("x.timeout.ms", 3000, 10, 60_000, "a timeout");
  private static final Setting<Mode> MODE = Setting.choice("x.mode", Mode.class, Mode.AS_SHIPPED, "a mode");

  @Test
  void shouldReadTheDefaultWhenTheKeyIsAbsentOrBlank() {
    assertThat(PORT.read(Map.of())).isEqualTo(7070L);
    assertThat(PORT.read(Map.of("x.port", "  "))).isEqualTo(7070L);
    assertThat(TIMEOUT.read(Map.of())).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void shouldParseTrimmedValues() {
    assertThat(PORT.read(Map.of("x.port", " 9000 "))).isEqualTo(9000L);
    assertThat(MARGIN.read(Map.of("x.margin", "0.25"))).isEqualTo(0.25);
    assertThat(MODE.read(Map.of("x.mode", "placement-only"))).isEqualTo(Mode.PLACEMENT_ONLY);
    assertThat(Setting.flag("x.f", false, "f").read(Map.of("x.f", "TRUE"))).isTrue();
  }

  @Test
  void shouldNameTheKeyTheValueAndTheRangeWhenAValueIsBad() {
    assertThatThrownBy(() -> PORT.read(Map.of("x.port", "70000")))
        .hasMessage("x.port must be in [0, 65535], was 70000");
    assertThatThrownBy(() -> PORT.read(Map.of("x.port", "ten")))
        .hasMessage("x.port must be a whole number, was 'ten'");
    assertThatThrownBy(() -> MARGIN.read(Map.of("x.margin", "NaN")))
        .hasMessage("x.margin must be a finite number, was 'NaN'");
    assertThatThrownBy(() -> MODE.read(Map.of("x.mode", "fast")))
        .hasMessage("x.mode must be one of as-shipped, placement-only, was 'fast'");
    assertThatThrownBy(() -> Setting.text("x.url", null, "u").require(Map.of()))
        .hasMessage("x.url is required: u");
  }

  @Test
  void shouldRefuseADeclarationWhoseDefaultIsOutOfItsOwnRange() {
    assertThatThrownBy(() -> Setting.number("x.bad", 2, 0, 1, "d"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("x.bad");
  }

  @Test
  void shouldCarryTheDeclarationUnderAPrefixWithItsOwnDefault() {
    Setting<Double> inProfile = MARGIN.under("profile.prism.").withDefault(0.9);
    assertThat(inProfile.key()).isEqualTo("profile.prism.x.margin");
    assertThat(inProfile.read(Map.of())).isEqualTo(0.9);
    assertThatThrownBy(() -> inProfile.read(Map.of("profile.prism.x.margin", "2")))
        .hasMessageStartingWith("profile.prism.x.margin must be in [0, 1]");
  }

  @Test
  void shouldWriteOneDocsRowPerKeyInDeclarationOrder() {
    String table = Settings.of(PORT, MARGIN, MODE).markdownTable();
    assertThat(table.lines()).containsExactly(
        "| key | type | default | allowed | meaning |",
        "|---|---|---|---|---|",
        "| `x.port` | integer | `7070` | [0, 65535] | the port |",
        "| `x.margin` | number | `0.7` | [0, 1] | a fraction |",
        "| `x.mode` | one of | `as-shipped` | as-shipped, placement-only | a mode |");
    assertThatThrownBy(() -> Settings.of(PORT, PORT)).hasMessageContaining("x.port");
  }
}
