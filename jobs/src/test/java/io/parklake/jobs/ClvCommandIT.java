package io.parklake.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parklake clv fit} on the CDNOW sample as a transaction CSV reproduces the published BG/NBD
 * (Fader, Hardie &amp; Lee 2005) and Gamma-Gamma (Fader &amp; Hardie 2013) parameters, without
 * starting any service.
 */
class ClvCommandIT {
  private static final Path CDNOW = Path.of("src", "test", "resources", "data", "cdnow", "CDNOW_sample.txt");

  @TempDir static Path tmp;
  private static Path transactions;
  private static Map<String, String> env;

  @BeforeAll
  static void writeTransactionCsv() throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add("customer_id,date,amount");
    for (String line : Files.readAllLines(CDNOW)) {
      String[] f = line.trim().split("\\s+");
      lines.add(Integer.parseInt(f[0]) + "," + LocalDate.parse(f[2], DateTimeFormatter.BASIC_ISO_DATE) + "," + f[4]);
    }
    transactions = Files.write(tmp.resolve("cdnow.csv"), lines);
    // A home that must never be created: these commands start no embedded service.
    env = Map.of("PARKLAKE_HOME", tmp.resolve("home").toString());
  }

  @Test
  void fit_with_json_prints_one_object_with_the_published_parameters() throws Exception {
    CliRun run = CliRun.run(env, "clv", "fit", "--transactions", transactions.toString(), "--calibration-end", "1997-09-30", "--json");

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out().strip().lines()).hasSize(1);
    JsonNode m = new ObjectMapper().readTree(run.out());
    assertThat(m.get("customers").asInt()).isEqualTo(2357);
    assertThat(m.get("r").asDouble()).isCloseTo(0.243, within(0.0005));
    assertThat(m.get("alpha").asDouble()).isCloseTo(4.414, within(0.005));
    assertThat(m.get("a").asDouble()).isCloseTo(0.793, within(0.0005));
    assertThat(m.get("b").asDouble()).isCloseTo(2.426, within(0.005));
    assertThat(m.get("log_likelihood").asDouble()).isCloseTo(-9582.4, within(0.5));
    assertThat(m.get("p").asDouble()).isCloseTo(6.25, within(0.005));
    assertThat(m.get("q").asDouble()).isCloseTo(3.74, within(0.005));
    assertThat(m.get("gamma").asDouble()).isCloseTo(15.44, within(0.05));
    assertThat(tmp.resolve("home")).doesNotExist();
  }

  @Test
  void fit_without_a_calibration_end_uses_the_last_date_in_the_file() {
    CliRun run = CliRun.run(env, "clv", "fit", "--transactions", transactions.toString());

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).startsWith("calibration 1997-01-01 .. 1998-06-30: 2357 customers, ");
    assertThat(run.out()).containsPattern("BG/NBD {7}r = \\d+\\.\\d{4} {2}alpha = ");
    assertThat(run.out()).containsPattern("Gamma-Gamma {2}p = \\d+\\.\\d{4} {2}q = ");
  }

  @Test
  void an_amount_that_is_not_a_number_is_refused_naming_file_and_line() throws Exception {
    Path bad = Files.writeString(tmp.resolve("bad.csv"), "customer_id,date,amount\n1,1997-01-01,29.33\n1,1997-01-18,29.7x\n");
    CliRun run = CliRun.run(env, "clv", "fit", "--transactions", bad.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("parklake: --transactions: " + bad + ":3: amount '29.7x' is not a number");
  }

  @Test
  void a_missing_column_is_refused_naming_it() throws Exception {
    Path bad = Files.writeString(tmp.resolve("no-amount.csv"), "customer_id,date,value\n1,1997-01-01,29.33\n");
    CliRun run = CliRun.run(env, "clv", "fit", "--transactions", bad.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip())
        .isEqualTo("parklake: --transactions: " + bad + ": no column 'amount' in the header (customer_id,date,value)");
  }

  @Test
  void a_missing_file_is_refused_naming_it() {
    Path missing = tmp.resolve("nowhere.csv");
    CliRun run = CliRun.run(env, "clv", "fit", "--transactions", missing.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("parklake: --transactions: " + missing + ": no such file");
  }
}
