package io.parklake.jobs.cli;

import io.parklake.jobs.config.UserError;
import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.Marts;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code parklake marts [name]}: the gold marts, their grain and partitioning, or one mart's doc. */
@Command(
    name = "marts",
    mixinStandardHelpOptions = true,
    description = {
      "List the gold marts (grain, partition column, inputs) in the order the jobs compute them, "
          + "or print one mart's documentation: its columns and semantics.",
      "Export one with: ./parklake export <mart> --format csv|parquet --out F"
    })
public class MartsCommand implements Callable<Integer> {
  private final CliEnvironment cli;

  @Parameters(index = "0", arity = "0..1", paramLabel = "<mart>", description = "a mart to describe")
  String name;

  public MartsCommand(CliEnvironment cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    if (name != null) {
      Mart mart = Marts.all().stream().filter(m -> m.name().equals(name)).findFirst()
          .orElseThrow(() -> new UserError("<mart>", "unknown mart '" + name + "' (see ./parklake marts)"));
      String doc = Marts.doc(mart);
      cli.out().println(doc != null ? doc : mart.name() + ": no documentation");
      return 0;
    }
    for (Mart m : Marts.all()) {
      cli.out().printf("%-26s %-13s %s%n", m.name(), m.dateColumn() == null ? "(whole)" : m.dateColumn(), Marts.grain(m));
      cli.out().printf("%-26s %-13s reads %s%s%n", "", "", String.join(", ", m.inputs()), m.hourly() ? "; also hourly" : "");
    }
    return 0;
  }
}
