package io.parklake.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parklake.jobs.config.UserError;
import io.parklake.pipelines.clv.BgNbdModel;
import io.parklake.pipelines.clv.CustomerHistory;
import io.parklake.pipelines.clv.CustomerHistory.Transaction;
import io.parklake.pipelines.clv.GammaGammaModel;
import io.parklake.pipelines.clv.ModelFit;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parklake clv}: customer-value models; the work is done by its subcommands. */
@Command(name = "clv", mixinStandardHelpOptions = true, description = "Customer-value models (BG/NBD purchases, Gamma-Gamma spend).")
public class ClvCommand implements Runnable {
  @Spec CommandSpec spec;

  /** {@code clv} with its subcommands, as the application registers it. */
  public static CommandLine withSubcommands(CliEnvironment cli) {
    return new CommandLine(new ClvCommand()).addSubcommand(new Fit(cli));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code parklake clv fit}: fits BG/NBD and Gamma-Gamma to a transaction file and prints the parameters. */
  @Command(
      name = "fit",
      mixinStandardHelpOptions = true,
      description = {
        "Fit the BG/NBD purchase model and the Gamma-Gamma spend model by maximum likelihood to a CSV file of "
            + "transactions (columns customer_id,date,amount; ISO dates, amounts in plain decimals) and print their "
            + "parameters and log-likelihoods. Purchases on one day are one purchase; time is in weeks.",
        "With --json, one object with keys customers, r, alpha, a, b, log_likelihood (BG/NBD), p, q, gamma. "
            + "Needs no database, lake or Spark."
      })
  static class Fit implements Callable<Integer> {
    private final CliEnvironment cli;

    @Option(names = "--transactions", required = true, paramLabel = "F.csv", description = "customer_id,date,amount with a header row")
    Path transactions;

    @Option(names = "--calibration-end", paramLabel = "D",
        description = "last day of the calibration period; later transactions are ignored (default: the last date in the file)")
    LocalDate calibrationEnd;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    Fit(CliEnvironment cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
      List<Transaction> all = read();
      LocalDate first = all.stream().map(Transaction::date).min(LocalDate::compareTo).orElseThrow();
      LocalDate end = calibrationEnd != null ? calibrationEnd : all.stream().map(Transaction::date).max(LocalDate::compareTo).orElseThrow();
      if (end.isBefore(first)) {
        throw new UserError("--calibration-end", end + " is before the first transaction (" + first + ")");
      }
      List<CustomerHistory> customers = CustomerHistory.summarise(all, end);
      long repeat = customers.stream().filter(c -> c.frequency() > 0).count();
      if (repeat == 0) {
        throw new UserError("--transactions", transactions + ": no customer bought on two different days up to " + end
            + "; the models need repeat purchases");
      }
      ModelFit<BgNbdModel> purchasesFit = BgNbdModel.fit(customers);
      if (!purchasesFit.fitted()) {
        throw new UserError("--transactions", transactions + ": no BG/NBD fit: " + purchasesFit.failure());
      }
      BgNbdModel purchases = purchasesFit.model();
      ModelFit<GammaGammaModel> spendFit = GammaGammaModel.fit(customers);
      GammaGammaModel spend = spendFit.model();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("customers", customers.size());
        m.put("r", purchases.r());
        m.put("alpha", purchases.alpha());
        m.put("a", purchases.a());
        m.put("b", purchases.b());
        m.put("log_likelihood", purchases.logLikelihood());
        m.put("p", spend == null ? null : spend.p());
        m.put("q", spend == null ? null : spend.q());
        m.put("gamma", spend == null ? null : spend.gamma());
        if (spend == null) {
          m.put("gamma_gamma_failure", spendFit.failure());
        }
        cli.out().println(new ObjectMapper().writeValueAsString(m));
        return 0;
      }
      cli.out().printf("calibration %s .. %s: %d customers, %d with repeat purchases%n", first, end, customers.size(), repeat);
      cli.out().printf("BG/NBD       r = %.4f  alpha = %.4f  a = %.4f  b = %.4f  log-likelihood = %.2f%n", purchases.r(),
          purchases.alpha(), purchases.a(), purchases.b(), purchases.logLikelihood());
      if (spend == null) {
        cli.out().printf("Gamma-Gamma  not fitted: %s%n", spendFit.failure());
      } else {
        cli.out().printf("Gamma-Gamma  p = %.4f  q = %.4f  gamma = %.4f  log-likelihood = %.2f%n", spend.p(), spend.q(),
            spend.gamma(), spend.logLikelihood());
      }
      return 0;
    }

    private List<Transaction> read() {
      List<Transaction> out = new ArrayList<>();
      try (CsvInput csv = CsvInput.open("--transactions", transactions, "customer_id", "date", "amount")) {
        for (CsvInput.Record r = csv.next(); r != null; r = csv.next()) {
          if (r.get(0).isEmpty()) {
            throw csv.error(r.line(), "empty customer_id");
          }
          LocalDate date;
          try {
            date = LocalDate.parse(r.get(1));
          } catch (DateTimeParseException e) {
            throw csv.error(r.line(), "date '" + r.get(1) + "' is not an ISO date (1997-09-30)");
          }
          BigDecimal amount;
          try {
            amount = new BigDecimal(r.get(2));
          } catch (NumberFormatException e) {
            throw csv.error(r.line(), "amount '" + r.get(2) + "' is not a number");
          }
          if (amount.signum() < 0) {
            // A refund is not a purchase: the models would count its day as a repeat visit.
            throw csv.error(r.line(), "amount " + amount.toPlainString() + " is negative; net refunds into their purchases first");
          }
          out.add(new Transaction(r.get(0), date, amount));
        }
      }
      if (out.isEmpty()) {
        throw new UserError("--transactions", transactions + ": no data rows");
      }
      return out;
    }
  }
}
