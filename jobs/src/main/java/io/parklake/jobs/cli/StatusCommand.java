package io.parklake.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parklake.jobs.runtime.ParkLakeRuntime;
import io.parklake.pipelines.extract.ExtractionLedger;
import io.parklake.warehouse.lake.LakeMaintenance;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parklake status}: watermarks, recent runs and lake tables. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show each source table's extraction watermark, the latest job runs, and every lake table's row count.",
      "With --json, one object with keys watermarks, runs and tables."
    })
public class StatusCommand implements Callable<Integer> {
  private final CliEnvironment cli;

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  @Option(names = "--runs", defaultValue = "10", description = "how many recent runs to list (default ${DEFAULT-VALUE})")
  int runs;

  public StatusCommand(CliEnvironment cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    try (ParkLakeRuntime rt = ParkLakeRuntime.open(cli.settings())) {
      List<Map<String, Object>> watermarks = new ArrayList<>();
      for (ExtractionLedger.TableState s : new ExtractionLedger(rt.meta()).states()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("table", s.table());
        m.put("watermark", String.valueOf(s.watermark()));
        m.put("last_run", s.lastRunId());
        m.put("rows_extracted", s.rowsExtracted());
        m.put("pending_batch", s.pending());
        watermarks.add(m);
      }
      List<Map<String, Object>> owed = owedMarts(rt);
      List<Map<String, Object>> recent = recentRuns(rt);
      List<Map<String, Object>> tables = new ArrayList<>();
      for (String path : LakeMaintenance.tables(rt.lake())) {
        Map<String, Object> m = new LinkedHashMap<>();
        Path p = Path.of(path);
        m.put("table", p.getParent().getFileName() + "." + p.getFileName());
        Row detail = io.delta.tables.DeltaTable.forPath(rt.spark(), path).detail().select("numFiles").first();
        m.put("rows", rt.spark().read().format("delta").load(path).count());
        m.put("files", detail.getLong(0));
        tables.add(m);
      }
      if (json) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("watermarks", watermarks);
        all.put("owed_marts", owed);
        all.put("runs", recent);
        all.put("tables", tables);
        cli.out().println(new ObjectMapper().writeValueAsString(all));
        return 0;
      }
      cli.out().println("Extraction watermarks");
      cli.out().printf("  %-20s %-32s %-22s %14s%n", "table", "watermark", "last run", "rows");
      for (Map<String, Object> m : watermarks) {
        cli.out().printf("  %-20s %-32s %-22s %,14d%s%n", m.get("table"), m.get("watermark"), m.get("last_run"),
            (Long) m.get("rows_extracted"), Boolean.TRUE.equals(m.get("pending_batch")) ? "  (batch pending: next run resumes it)" : "");
      }
      if (!owed.isEmpty()) {
        cli.out().println();
        cli.out().println("Marts owed a refresh (the next run or a restart of the failed one does it)");
        for (Map<String, Object> m : owed) {
          cli.out().printf("  %-26s %-30s since %s, %s%n", m.get("mart"), m.get("work"), m.get("since"), m.get("reason"));
        }
      }
      cli.out().println();
      cli.out().println("Recent runs");
      cli.out().printf("  %-9s %-8s %-22s %-10s %-20s %s%n", "execution", "job", "date(s)", "status", "started", "exit");
      for (Map<String, Object> m : recent) {
        cli.out().printf("  %-9s %-8s %-22s %-10s %-20s %s%n", m.get("execution"), m.get("job"),
            m.containsKey("from") ? m.get("from") + ".." + m.get("date") : m.get("date"), m.get("status"),
            m.get("started"), m.get("exit"));
      }
      cli.out().println();
      cli.out().println("Lake tables (" + rt.lake().root() + ")");
      for (Map<String, Object> m : tables) {
        cli.out().printf("  %-34s %,12d rows %6d files%n", m.get("table"), (Long) m.get("rows"), (Long) m.get("files"));
      }
      return 0;
    }
  }

  /** Marts a failed run could not refresh, with the work they are owed (parklake.mart_refresh_owed). */
  private static List<Map<String, Object>> owedMarts(ParkLakeRuntime rt) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    try (Connection c = rt.meta().open();
        PreparedStatement q = c.prepareStatement("SELECT mart, rebuild, cardinality(dates), dates[1], dates[cardinality(dates)], "
            + "reason, run_id, owed_since FROM parklake.mart_refresh_owed ORDER BY mart");
        ResultSet r = q.executeQuery()) {
      while (r.next()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mart", r.getString(1));
        m.put("work", r.getBoolean(2) ? "rebuild"
            : r.getInt(3) + " date(s) " + r.getString(4) + (r.getInt(3) > 1 ? ".." + r.getString(5) : ""));
        m.put("reason", r.getString(6));
        m.put("run", r.getString(7));
        m.put("since", r.getTimestamp(8).toInstant().toString());
        out.add(m);
      }
    }
    return out;
  }

  private List<Map<String, Object>> recentRuns(ParkLakeRuntime rt) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    try (Connection c = rt.meta().open();
        PreparedStatement q = c.prepareStatement(
            "SELECT e.job_execution_id, i.job_name, p.parameter_value, e.status, e.start_time, e.exit_code, "
                + "left(e.exit_message, 200), f.parameter_value FROM parklake.batch_job_execution e "
                + "JOIN parklake.batch_job_instance i ON i.job_instance_id = e.job_instance_id "
                + "LEFT JOIN parklake.batch_job_execution_params p ON p.job_execution_id = e.job_execution_id "
                + "AND p.parameter_name = 'date' "
                + "LEFT JOIN parklake.batch_job_execution_params f ON f.job_execution_id = e.job_execution_id "
                + "AND f.parameter_name = 'from' ORDER BY e.job_execution_id DESC LIMIT ?")) {
      q.setInt(1, runs);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("execution", r.getLong(1));
          m.put("job", r.getString(2));
          m.put("date", r.getString(3));
          if (r.getString(8) != null) {
            // A range (a backfill, one execution) has parameter 'from' too; 'date' is its last date.
            m.put("from", r.getString(8));
          }
          m.put("status", r.getString(4));
          m.put("started", r.getTimestamp(5) == null ? "" : r.getTimestamp(5).toLocalDateTime().withNano(0).toString());
          String msg = r.getString(7);
          m.put("exit", r.getString(6) + (msg == null || msg.isBlank() ? "" : ": " + msg.lines().findFirst().orElse("")));
          out.add(m);
        }
      }
    }
    return out;
  }
}
