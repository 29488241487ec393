package io.parklake.jobs.cli;

import picocli.CommandLine.Command;

/** The {@code parklake} command; the work is done by its subcommands. */
@Command(
    name = "parklake",
    mixinStandardHelpOptions = true,
    version = "ParkLake 0.1.0",
    description = {
      "Batch analytics and reporting for parking operators: extracts the operator's PostgreSQL database into a "
          + "Delta Lake, computes marts with Spark SQL and renders reports.",
      "With no configuration it starts embedded PostgreSQL and S3 servers under PARKLAKE_HOME."
    },
    footer = {
      "",
      "Environment:",
      "  PARKLAKE_HOME                       lake, reports and embedded data (default ./.parklake)",
      "  PARKLAKE_SOURCE_URL/_USER/_PASSWORD operator database, JDBC URL (unset: embedded PostgreSQL)",
      "  PARKLAKE_META_URL/_USER/_PASSWORD   database for schema parklake (default: the source)",
      "  PARKLAKE_S3_ENDPOINT/_ACCESS_KEY/_SECRET_KEY/_REGION  S3 API (unset: embedded s3proxy)",
      "  PARKLAKE_REPORTS_BUCKET             reports bucket (default parklake-reports)",
      "  PARKLAKE_SPARK_MASTER               Spark master (default local[*])",
      "",
      "Exit codes: 0 success, 1 job or internal failure, 2 bad configuration or usage.",
      "Run 'parklake <command> --help' for a command's options."
    })
public class ParkLakeCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
