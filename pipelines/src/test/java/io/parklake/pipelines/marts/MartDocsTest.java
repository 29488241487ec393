package io.parklake.pipelines.marts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every registered mart is documented (grain, partitioning, inputs) and every doc belongs to a mart. */
class MartDocsTest {

  @Test
  void every_mart_has_a_doc_naming_its_grain_partitioning_and_inputs() {
    assertThat(Marts.all()).isNotEmpty();
    for (Mart mart : Marts.all()) {
      String doc = Marts.doc(mart);
      assertThat(doc).as("doc of %s (pipelines/docs/marts/%s.md)", mart.name(), mart.name()).isNotNull();
      assertThat(doc).as("doc of %s", mart.name()).startsWith("# " + mart.name()).contains("**Grain:**");
      assertThat(Marts.grain(mart)).as("grain of %s", mart.name()).doesNotStartWith("(");
      if (mart.dateColumn() != null) {
        assertThat(doc).as("doc of %s names its partition column", mart.name()).contains("`" + mart.dateColumn() + "`");
      }
      for (String input : mart.inputs()) {
        assertThat(doc).as("doc of %s names input %s", mart.name(), input).contains(input);
      }
    }
  }

  @Test
  void every_doc_belongs_to_a_registered_mart() throws IOException {
    List<String> names = Marts.all().stream().map(Mart::name).toList();
    try (Stream<Path> docs = Files.list(Path.of("docs", "marts"))) {
      assertThat(docs.map(p -> p.getFileName().toString().replaceFirst("\\.md$", ""))).isSubsetOf(names);
    }
  }

  @Test
  void marts_that_read_other_marts_run_after_them() {
    List<String> order = Marts.all().stream().map(Mart::name).toList();
    for (Mart mart : Marts.all()) {
      for (String input : mart.inputs()) {
        if (input.startsWith("gold.")) {
          assertThat(order.indexOf(input.substring(5))).as("%s before %s", input, mart.name()).isLessThan(order.indexOf(mart.name()));
        }
      }
    }
  }
}
