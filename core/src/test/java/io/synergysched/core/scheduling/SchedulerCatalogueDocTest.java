package io.synergysched.core.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.core.setting.MarkdownCatalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/simulator.md's scheduler types say what the registry declares: every type and its parameters. */
class SchedulerCatalogueDocTest {

  private static final Path PAGE = Path.of("..", "docs", "simulator.md");

  @Test
  void shouldListEverySchedulerTypeWithItsDeclaredParametersWhenTheDocsAreRead() {
    Map<String, MarkdownCatalogue.Entry> catalogue = MarkdownCatalogue.read(PAGE, "### Scheduler types");

    assertThat(new TreeSet<>(catalogue.keySet())).isEqualTo(BatchSchedulerRegistry.types());
    for (String type : BatchSchedulerRegistry.types()) {
      assertThat(String.join("\n", catalogue.get(type).table())).as("the table of %s in %s", type, PAGE)
          .isEqualTo(BatchSchedulerRegistry.parameters(type).markdownTable().strip());
    }
  }

  @Test
  void shouldNameEveryBuiltInSchedulerWhenTheDocsListThem() throws IOException {
    String page = Files.readString(PAGE);
    String list = page.substring(page.indexOf("Schedulers (`BatchSchedulerRegistry`)"), page.indexOf("### Scheduler types"));
    for (String name : BatchSchedulerRegistry.names()) {
      assertThat(list).as("the scheduler list names %s", name).containsPattern("(?m)^- .*`" + name + "`");
    }
  }
}
