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

  @Test
  void shouldWriteAnOpenSideAsABoundWhenTheRangeHasNoLimit() {
    Setting<Duration> heartbeat = Setting.millis("x.heartbeat.ms", 1000, 10, Long.MAX_VALUE, "h");
    Setting<Long> seed = Setting.whole("x.seed", 1, Long.MIN_VALUE, Long.MAX_VALUE, "s");
    Setting<Double> sigma = Setting.number("x.sigma", 0, 0, Double.POSITIVE_INFINITY, "n");

    assertThat(heartbeat.range()).isEqualTo(">= 10");
    assertThat(seed.range()).isEqualTo("any");
    assertThat(sigma.range()).isEqualTo(">= 0");
    assertThatThrownBy(() -> heartbeat.read(Map.of("x.heartbeat.ms", "5")))
        .hasMessage("x.heartbeat.ms must be >= 10, was 5");
    assertThatThrownBy(() -> heartbeat.read(Map.of("x.heartbeat.ms", "1e3")))
        .hasMessage("x.heartbeat.ms must be a whole number, was '1e3'");
    assertThat(seed.read(Map.of("x.seed", "-7"))).isEqualTo(-7L);
  }

  @Test
  void shouldRefuseANonFiniteNumberWhenCheckingAValueFromCode() {
    assertThatThrownBy(() -> MARGIN.check(Double.NaN)).hasMessage("x.margin must be in [0, 1], was NaN");
    Setting<Double> sigma = Setting.number("x.sigma", 0, 0, Double.POSITIVE_INFINITY, "n");
    assertThatThrownBy(() -> sigma.check(Double.POSITIVE_INFINITY)).hasMessageStartingWith("x.sigma must be >= 0");
    Setting<Double> open = Setting.number("x.rate", 0.5, "(0, 1)", v -> v > 0 && v < 1, "r");
    assertThatThrownBy(() -> open.check(1.0)).hasMessage("x.rate must be (0, 1), was 1");
  }

  @Test
  void shouldReadUrlsAndHostsWhenTheyAreWellFormed() {
    Setting<java.net.URI> url = Setting.url("x.url", "http://127.0.0.1:7070", "u");
    Setting<String> host = Setting.host("x.bind", "127.0.0.1", "b");

    assertThat(url.read(Map.of()).getPort()).isEqualTo(7070);
    assertThat(url.read(Map.of("x.url", " https://h:1/p ")).toString()).isEqualTo("https://h:1/p");
    assertThat(url.defaultText()).isEqualTo("http://127.0.0.1:7070");
    assertThatThrownBy(() -> url.read(Map.of("x.url", "ftp://h")))
        .hasMessage("x.url must be an http(s) URL with a host, was ftp://h");
    assertThatThrownBy(() -> url.read(Map.of("x.url", "http://a b")))
        .hasMessage("x.url must be a URL, was 'http://a b'");
    assertThat(host.read(Map.of("x.bind", "0.0.0.0"))).isEqualTo("0.0.0.0");
    assertThatThrownBy(() -> host.read(Map.of("x.bind", "http://0.0.0.0/")))
        .hasMessage("x.bind must be a host name or an IP address, was http://0.0.0.0/");
  }

  @Test
  void shouldReadEveryItemOfAListAndNameTheBadOne() {
    Setting<java.util.List<Integer>> sizes = Setting.list("x.sizes", "1,2", item -> {
      try {
        return Integer.valueOf(item);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("must be a whole number");
      }
    }, "whole numbers", "sizes");

    assertThat(sizes.read(Map.of())).containsExactly(1, 2);
    assertThat(sizes.defaultText()).isEqualTo("1,2");
    assertThat(sizes.read(Map.of("x.sizes", " 3, ,4 "))).containsExactly(3, 4);
    assertThatThrownBy(() -> sizes.read(Map.of("x.sizes", "3,four")))
        .hasMessage("x.sizes item 'four' must be a whole number, was '3,four'");
    assertThatThrownBy(() -> sizes.read(Map.of("x.sizes", ",")))
        .hasMessage("x.sizes must name at least one item, was ,");
  }

  @Test
  void shouldFailNamingARequiredKeyWhenItIsAbsentOrBlank() {
    Setting<String> bootstrap = Setting.text("x.servers", null, "the cluster").required();

    assertThat(bootstrap.isRequired()).isTrue();
    assertThat(bootstrap.defaultText()).isEqualTo("required");
    assertThatThrownBy(() -> bootstrap.read(Map.of("x.servers", " ")))
        .hasMessage("x.servers is required: the cluster");
    assertThatThrownBy(() -> bootstrap.check("")).hasMessage("x.servers is required: the cluster");
    assertThatThrownBy(() -> PORT.checkPresent(null)).hasMessage("x.port is required: the port");
    assertThat(PORT.check(null)).isNull();
  }

  @Test
  void shouldDescribeADerivedDefaultInTheDocsAndReadNullWhenAbsent() {
    Setting<String> bind = Setting.text("x.bind", null, "interface").derivedDefault("`x.host`");
    Setting<Integer> block = Setting.integer("x.block", 16, "a divisor of 512", v -> v > 0 && 512 % v == 0, "b");

    assertThat(bind.read(Map.of())).isNull();
    assertThat(Settings.of(bind, block).markdownTable().lines()).containsExactly(
        "| key | type | default | allowed | meaning |",
        "|---|---|---|---|---|",
        "| `x.bind` | text | `x.host` |  | interface |",
        "| `x.block` | integer | `16` | a divisor of 512 | b |");
    assertThatThrownBy(() -> block.read(Map.of("x.block", "24")))
        .hasMessage("x.block must be a divisor of 512, was 24");
  }
}
