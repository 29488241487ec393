package io.parklake.pipelines.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.parklake.pipelines.clv.CustomerHistory.Transaction;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CDNOW sample, fitted from its raw transactions (calibration ends 1997-09-30), reproduces the
 * published BG/NBD (Fader, Hardie &amp; Lee 2005) and Gamma-Gamma (Fader &amp; Hardie 2013) parameters.
 */
class CdnowPublishedResultsTest {
  private static final Path DATA = Path.of("src", "test", "resources", "data", "cdnow");
  private static final LocalDate CALIBRATION_END = LocalDate.of(1997, 9, 30);
  private static List<CustomerHistory> calibration;

  @BeforeAll
  static void summarise() throws Exception {
    List<Transaction> transactions = new ArrayList<>();
    for (String line : Files.readAllLines(DATA.resolve("CDNOW_sample.txt"))) {
      String[] f = line.trim().split("\\s+");
      transactions.add(new Transaction(String.valueOf(Integer.parseInt(f[0])),
          LocalDate.parse(f[2], DateTimeFormatter.BASIC_ISO_DATE), new BigDecimal(f[4])));
    }
    assertThat(transactions).hasSize(6919);
    calibration = CustomerHistory.summarise(transactions, CALIBRATION_END);
  }

  @Test
  void the_summary_from_raw_transactions_matches_the_published_summary() throws Exception {
    // The published file numbers its customers in another order: compare the frequency histogram
    // exactly and the recency and age totals within the file's two-decimal rounding.
    Map<Integer, Integer> publishedHistogram = new TreeMap<>();
    double publishedRecency = 0;
    double publishedAge = 0;
    List<String> lines = Files.readAllLines(DATA.resolve("cdnow_customers_summary.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      publishedHistogram.merge(Integer.parseInt(f[1]), 1, Integer::sum);
      publishedRecency += Double.parseDouble(f[2]);
      publishedAge += Double.parseDouble(f[3]);
    }
    Map<Integer, Integer> histogram = new TreeMap<>();
    calibration.forEach(c -> histogram.merge(c.frequency(), 1, Integer::sum));
    assertThat(calibration).hasSize(2357);
    assertThat(histogram).isEqualTo(publishedHistogram);
    assertThat(calibration.stream().mapToDouble(CustomerHistory::recency).sum()).isCloseTo(publishedRecency, within(1.0));
    assertThat(calibration.stream().mapToDouble(CustomerHistory::age).sum()).isCloseTo(publishedAge, within(1.0));
  }

  @Test
  void bg_nbd_reproduces_the_published_parameters_and_log_likelihood() {
    BgNbdModel m = BgNbdModel.fit(calibration).orElseThrow();
    System.out.printf("BG/NBD r=%.4f alpha=%.4f a=%.4f b=%.4f LL=%.2f%n", m.r(), m.alpha(), m.a(), m.b(), m.logLikelihood());
    assertThat(m.r()).isCloseTo(0.243, within(0.0005));
    assertThat(m.alpha()).isCloseTo(4.414, within(0.005));
    assertThat(m.a()).isCloseTo(0.793, within(0.0005));
    assertThat(m.b()).isCloseTo(2.426, within(0.005));
    assertThat(m.logLikelihood()).isCloseTo(-9582.4, within(0.5));
  }

  @Test
  void gamma_gamma_reproduces_the_published_spend_parameters() {
    GammaGammaModel m = GammaGammaModel.fit(calibration).orElseThrow();
    System.out.printf("Gamma-Gamma p=%.4f q=%.4f gamma=%.4f LL=%.2f%n", m.p(), m.q(), m.gamma(), m.logLikelihood());
    assertThat(m.p()).isCloseTo(6.25, within(0.005));
    assertThat(m.q()).isCloseTo(3.74, within(0.005));
    assertThat(m.gamma()).isCloseTo(15.44, within(0.05));
  }
}
