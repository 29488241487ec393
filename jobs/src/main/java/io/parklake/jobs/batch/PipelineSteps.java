package io.parklake.jobs.batch;

import io.parklake.jobs.runtime.ParkLakeRuntime;
import io.parklake.pipelines.archive.ArchiveCatalog;
import io.parklake.pipelines.archive.ArchivePolicy;
import io.parklake.pipelines.archive.ArchiveUnit;
import io.parklake.pipelines.archive.Archiver;
import io.parklake.pipelines.extract.DeleteDetector.Deletions;
import io.parklake.pipelines.extract.ExtractStats;
import io.parklake.pipelines.marts.FrozenPeriods;
import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartBacklog;
import io.parklake.pipelines.marts.MartContext;
import io.parklake.pipelines.marts.Marts;
import io.parklake.jobs.config.ParkLakeSettings;
import io.parklake.jobs.config.SettingRegistry;
import io.parklake.reports.catalog.Reports;
import io.parklake.reports.publish.MartPublisher;
import io.parklake.warehouse.lake.LakeMaintenance;
import io.parklake.warehouse.source.SourceTable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.Step;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.repeat.RepeatStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The steps jobs are made of, each a thin tasklet over the pipelines and reports modules. Every
 * step is idempotent, so a restarted or repeated run converges to the same lake.
 */
@Component
public class PipelineSteps {
  private static final Logger log = LoggerFactory.getLogger(PipelineSteps.class);

  private final JobRepository repository;
  private final PlatformTransactionManager tx;
  private final ParkLakeRuntime rt;

  public PipelineSteps(JobRepository repository, PlatformTransactionManager tx, ParkLakeRuntime rt) {
    this.repository = repository;
    this.tx = tx;
    this.rt = rt;
  }

  private static final String EXTRACT = "extract";
  private static final String DELETES = "deletes";
  private static final String RECONCILE = "reconcile";
  private static final String MARTS = "marts";
  private static final String REPORT = "report";
  private static final String PUBLISH = "publish";
  private static final String MAINTENANCE = "maintenance";
  private static final String ARCHIVE = "archive";

  /**
   * Every step runs again when its job is restarted, even after completing, and then does only
   * what is left: the tables, marts and reports that failed (see {@link RunState#done}), so that a
   * step whose parts partly failed completes, the steps after it run, and {@link #verdict} fails the run.
   */
  private Step step(String name, Tasklet tasklet) {
    return new StepBuilder(name, repository).tasklet(tasklet, tx).allowStartIfComplete(true).build();
  }

  /**
   * The last step of every job: fails the run, with one line naming every table, mart and report
   * that failed or was skipped and its first cause, when any earlier step recorded such a failure.
   * A restart reruns the steps, each doing only its failed parts, and then this verdict again.
   */
  Step verdict(String name) {
    return new StepBuilder(name, repository).tasklet((contribution, chunk) -> {
      RunState state = new RunState(chunk);
      List<String> lines = new java.util.ArrayList<>();
      for (String step : List.of(EXTRACT, DELETES, RECONCILE, MARTS, PUBLISH, REPORT, MAINTENANCE, ARCHIVE)) {
        String line = state.failureLine(step);
        if (line != null) {
          lines.add(line);
        }
      }
      if (!lines.isEmpty()) {
        throw new PartialFailure(String.join("; ", lines));
      }
      return RepeatStatus.FINISHED;
    }, tx).build();
  }

  /**
   * Archives, table by table, first the units an earlier run left unfinished (resumed where they
   * stopped), then each month now due. A unit that fails (S3 down, a read-back that does not verify)
   * fails alone and stays where it stopped: nothing of it is purged; the run ends FAILED naming it.
   */
  Step archive(String name) {
    return step(name, (contribution, chunk) -> {
      RunState state = new RunState(chunk);
      LocalDate asOf = state.date();
      Archiver archiver = rt.archiver();
      ArchiveCatalog catalog = rt.archiveCatalog();
      Map<String, String> failed = new java.util.TreeMap<>();
      long rows = 0;
      int units = 0;
      for (ArchivePolicy policy : rt.settings().archive().policies().values()) {
        String table = policy.table().tableName();
        List<ArchiveUnit> todo = catalog.units(table, null, null).stream().filter(u -> !isFinal(u, policy)).toList();
        io.parklake.pipelines.archive.ArchiveStage stage;
        try {
          stage = archiver.stage(policy, asOf);
        } catch (Exception e) {
          failed.put(table, Marts.oneLine(e));
          log.error("archive {}: FAILED to find and stage what is due ({})", table, Marts.oneLine(e), e);
          continue;
        }
        Map<java.time.YearMonth, Long> due = stage.rowsByMonth();
        log.info("archive {}: {} unfinished unit(s), {} month(s) due before {} ({} row(s))", table, todo.size(), due.size(),
            policy.firstKeptMonth(asOf), due.values().stream().mapToLong(Long::longValue).sum());
        List<ArchiveUnit> written = new java.util.ArrayList<>(todo);
        for (java.time.YearMonth month : due.keySet()) {
          try {
            archiver.write(policy, stage, month, state.runId()).ifPresent(written::add);
          } catch (Exception e) {
            failed.put(table + " " + month, Marts.oneLine(e));
            log.error("archive {} {}: FAILED to write ({}); nothing was purged", table, month, Marts.oneLine(e), e);
          }
        }
        Map<String, Exception> unitFailures = new java.util.LinkedHashMap<>();
        try {
          for (ArchiveUnit done : archiver.advance(policy, written, unitFailures)) {
            units++;
            if (todo.stream().noneMatch(u -> u.unitId().equals(done.unitId()))) {
              rows += done.rows();
            }
          }
        } catch (Exception e) {
          written.forEach(u -> unitFailures.putIfAbsent(u.unitId(), e));
        }
        for (var f : unitFailures.entrySet()) {
          failed.put(f.getKey(), Marts.oneLine(f.getValue()));
          catalog.recordError(f.getKey(), Marts.oneLine(f.getValue()));
          log.error("archive {}: FAILED ({}); nothing of it is purged, the next run resumes it", f.getKey(),
              Marts.oneLine(f.getValue()), f.getValue());
        }
        archiver.discard(stage);
      }
      contribution.incrementWriteCount(rows);
      state.setFailures(ARCHIVE, failed);
      state.note("summary", String.format("%d unit(s) archived and verified, %d row(s)", units, rows));
      state.partial(ARCHIVE, failed.isEmpty() ? null : "archive failed for " + failed.size() + " unit(s): " + PartialFailure.list(failed));
      return RepeatStatus.FINISHED;
    });
  }

  /** Whether a unit has gone as far as its policy takes it. */
  private static boolean isFinal(ArchiveUnit u, ArchivePolicy p) {
    ArchiveUnit.Status s = u.status();
    return s == ArchiveUnit.Status.SOURCE_PURGED || s == ArchiveUnit.Status.REJECTED
        || (s == ArchiveUnit.Status.PURGED && !p.purgeSource());
  }

  /**
   * Extracts every source table's changes since its watermark into bronze, silver and quarantine.
   * Tables are independent: one that fails is named in the step's failure and the others go on; a
   * restart extracts only the tables that failed.
   */
  Step extract(String name) {
    return step(name, (contribution, chunk) -> {
      RunState state = new RunState(chunk);
      var extraction = rt.extraction();
      java.time.Instant sourceNow = extraction.sourceNow();
      Map<String, String> failed = new java.util.TreeMap<>();
      long read = 0;
      long quarantined = 0;
      for (SourceTable t : SourceTable.values()) {
        if (state.done(EXTRACT).contains(t.tableName())) {
          continue;
        }
        try {
          ExtractStats s = extraction.extract(t, sourceNow, rt.settings().extraction().lookBack(), state.runId());
          state.recordExtraction(s);
          state.markDone(EXTRACT, t.tableName());
          read += s.read();
          quarantined += s.quarantined();
          contribution.incrementWriteCount(s.written());
          state.note("table." + s.table(), s.summary());
        } catch (Exception e) {
          failed.put(t.tableName(), Marts.oneLine(e));
          log.error("extract {}: FAILED ({}); its batch stays pending and is resumed by the next run", t.tableName(),
              Marts.oneLine(e), e);
        }
      }
      state.setFailures(EXTRACT, failed);
      state.note("summary", String.format("read %d row versions, quarantined %d", read, quarantined));
      state.partial(EXTRACT, failed.isEmpty() ? null
          : "extraction failed for " + failed.size() + " table(s): " + PartialFailure.list(failed));
      return RepeatStatus.FINISHED;
    });
  }

  /**
   * Finds rows hard-deleted in the source within the delete window before the run date (for a range:
   * before its first date, through its last), per table.
   */
  Step deletes(String name) {
    return step(name, (contribution, chunk) -> {
      RunState state = new RunState(chunk);
      LocalDate to = state.date().plusDays(1);
      LocalDate from = state.dates().get(0).minusDays(rt.settings().extraction().deleteWindowDays());
      log.info("delete scan of business dates {}..{}", from, state.date());
      Map<String, String> failed = new java.util.TreeMap<>();
      Map<String, String> extractFailed = state.failures(EXTRACT);
      for (SourceTable t : SourceTable.values()) {
        String table = t.tableName();
        if (state.done(DELETES).contains(table)) {
          continue;
        }
        if (extractFailed.containsKey(table)) {
          failed.put(table, "skipped: its extraction failed");
          continue;
        }
        try {
          Deletions d = rt.extraction().detectDeletes(List.of(t), from, to, state.runId()).get(t);
          state.addAffected(table, d.dates());
          state.markDone(DELETES, table);
          contribution.incrementWriteCount(d.keys().size());
          if (!d.keys().isEmpty()) {
            state.note("deleted." + table, String.valueOf(d.keys().size()));
          }
        } catch (Exception e) {
          failed.put(table, Marts.oneLine(e));
          log.error("delete scan {}: FAILED ({})", table, Marts.oneLine(e), e);
        }
      }
      state.setFailures(DELETES, failed);
      state.partial(DELETES, failed.isEmpty() ? null
          : "delete scan failed for " + failed.size() + " table(s): " + PartialFailure.list(failed));
      return RepeatStatus.FINISHED;
    });
  }

  /**
   * Checks each table's silver + quarantine against the source on every touched day. A table that
   * differs fails alone: the marts reading it are skipped, the others refresh.
   */
  Step reconcile(String name) {
    return step(name, (contribution, chunk) -> {
      RunState state = new RunState(chunk);
      Map<String, String> failed = new java.util.TreeMap<>();
      for (SourceTable t : SourceTable.values()) {
        Instant high = state.high(t.tableName());
        if (high == null || state.done(RECONCILE).contains(t.tableName())) {
          continue;
        }
        try {
          rt.extraction().reconcile(t, state.affected(t.tableName()), high);
          state.markDone(RECONCILE, t.tableName());
        } catch (Exception e) {
          failed.put(t.tableName(), Marts.oneLine(e));
          log.error("reconcile {}: FAILED ({})", t.tableName(), Marts.oneLine(e));
        }
      }
      state.setFailures(RECONCILE, failed);
      state.partial(RECONCILE, failed.isEmpty() ? null
          : "reconciliation failed for " + failed.size() + " table(s): " + PartialFailure.list(failed));
      return RepeatStatus.FINISHED;
    });
  }

  /**
   * Refreshes the marts whose inputs changed, for exactly the partitions those business dates map to
   * (nightly: every mart, and the run's dates even without activity; hourly: the cheap marts only),
   * plus the work earlier runs owe them ({@link MartBacklog}). A range does this once, as of its last
   * date: every partition once, and the marts replaced whole once (what one nightly per date leaves,
   * since each of those replaces them again; see {@link AsOfMarts} for the reports of earlier dates).
   * A failing mart fails alone and the marts reading it, or reading a table that failed to extract,
   * are skipped; both are owed to the next pass. A restart's retry does only this run's new changes
   * and what is owed.
   */
  Step marts(String name, boolean nightly) {
    return step(name, (contribution, chunk) -> {
      RunState state = new RunState(chunk);
      boolean retry = state.attempted(MARTS);
      // Committed batches whose marts no run refreshed yet (this run's, or a crashed run's), plus
      // what this run's delete scan touched, minus what an earlier attempt of this run consumed.
      var pending = rt.extraction().ledger().pendingMartChanges(nightly);
      Map<String, SortedSet<LocalDate>> changed = new java.util.HashMap<>();
      for (SourceTable t : SourceTable.values()) {
        SortedSet<LocalDate> days = state.affected(t.tableName());
        days.removeAll(state.consumed(t.tableName()));
        days.addAll(pending.dates().getOrDefault(t.tableName(), new TreeSet<>()));
        changed.put(t.tableName(), days);
      }
      MartBacklog backlog = new MartBacklog(rt.meta());
      MartContext context = new MartContext(rt.spark(), rt.lake(), state.date(), rt.faults(), frozenPeriods());
      List<LocalDate> dates = state.dates();
      if (dates.size() > 1 && !retry) {
        log.info("marts: the partitions of {} dates {}..{} and of every date the changes touch, once, as of {}", dates.size(),
            dates.get(0), state.date(), state.date());
      }
      Marts.Outcome outcome = Marts.refresh(context, changed, nightly && !retry ? dates : List.of(),
          nightly ? m -> true : Mart::hourly, backlog.owed(), unavailableInputs(state));
      backlog.record(outcome, state.runId());
      rt.extraction().ledger().markMartsRefreshed(pending.batchIds(), nightly);
      changed.forEach(state::markConsumed);
      state.markAttempted(MARTS);
      return finishMarts(state, contribution, outcome);
    });
  }

  /** Recomputes every mart from all the lake holds and overwrites each gold table whole. */
  Step rebuildMarts(String name) {
    return step(name, (contribution, chunk) -> {
      RunState state = new RunState(chunk);
      MartContext context = new MartContext(rt.spark(), rt.lake(), state.date(), rt.faults(), frozenPeriods());
      var pending = rt.extraction().ledger().pendingMartChanges(true);
      MartBacklog backlog = new MartBacklog(rt.meta());
      Marts.Outcome outcome;
      if (state.attempted(MARTS)) {
        // A restart rebuilds only the marts that failed or were skipped; the owed work says "everything".
        outcome = Marts.refresh(context, Map.of(), List.of(), m -> true, backlog.owed(), Map.of());
      } else {
        outcome = Marts.rebuildContained(context, m -> true);
      }
      backlog.record(outcome, state.runId());
      rt.extraction().ledger().markMartsRefreshed(pending.batchIds(), true);
      state.markAttempted(MARTS);
      return finishMarts(state, contribution, outcome);
    });
  }

  /** The step note naming the marts whose archived partitions a refresh left as they were. */
  public static final String FROZEN_NOTE = "frozen";

  /** The partitions archived rows fed: no refresh or rebuild recomputes them from what the lake has left. */
  private FrozenPeriods frozenPeriods() throws java.sql.SQLException {
    FrozenPeriods frozen = rt.archiveCatalog().frozenPeriods();
    frozen.archivedDays().forEach((table, days) -> log.info("marts: {} of {} date(s) {}..{} are archived; the partitions they fed"
        + " stay as they are (frozen)", table, days.size(), days.first(), days.last()));
    return frozen;
  }

  /** Source tables whose extraction, delete scan or reconciliation failed, as mart inputs that are unavailable. */
  private static Map<String, String> unavailableInputs(RunState state) {
    Map<String, String> out = new java.util.HashMap<>();
    for (String step : List.of(EXTRACT, DELETES, RECONCILE)) {
      state.failures(step).forEach((table, cause) -> {
        for (String input : List.of("silver." + table, "silver." + table + "_history")) {
          out.putIfAbsent(input, step + " of " + table + " failed");
        }
      });
    }
    return out;
  }

  private static RepeatStatus finishMarts(RunState state, org.springframework.batch.core.StepContribution contribution,
      Marts.Outcome outcome) {
    long rows = 0;
    for (Marts.Refreshed r : outcome.refreshed()) {
      rows += r.rows();
      state.note("mart." + r.mart(), r.summary());
    }
    contribution.incrementWriteCount(rows);
    state.note("summary", outcome.refreshed().size() + " mart(s) refreshed, " + rows + " rows");
    List<String> frozen = outcome.refreshed().stream().filter(r -> !r.frozen().isEmpty())
        .map(r -> r.mart() + " " + r.frozen().first() + ".." + r.frozen().last()).toList();
    if (!frozen.isEmpty()) {
      state.note(FROZEN_NOTE, "archived periods kept as they were (frozen) in " + frozen.size() + " mart(s): "
          + String.join(", ", frozen));
    }
    state.setUnavailableMarts(outcome.unavailable());
    if (!outcome.refreshed().isEmpty()) {
      state.markUnpublished();
    }
    if (!outcome.complete()) {
      log.error("marts: {}", outcome.failureLine());
    }
    state.partial(MARTS, outcome.complete() ? null : outcome.failureLine());
    return RepeatStatus.FINISHED;
  }

  /**
   * Publishes every gold mart into the PostgreSQL schema BI tools read ({@code mart} by default),
   * each table swapped in one transaction so a reader never sees a half-written one.
   */
  Step publish(String name) {
    return step(name, (contribution, chunk) -> {
      RunState state = new RunState(chunk);
      var publishing = rt.settings().publishing();
      if (!state.unpublished()) {
        // A restart whose marts retry changed nothing: what this run refreshed is published already.
        return RepeatStatus.FINISHED;
      }
      if (!publishing.enabled()) {
        state.note("summary", "not published (" + ParkLakeSettings.MART_SCHEMA + "=none)");
        return RepeatStatus.FINISHED;
      }
      long rows = 0;
      int published = 0;
      Map<String, String> failed = new java.util.TreeMap<>();
      for (Mart m : Marts.all()) {
        if (!io.parklake.warehouse.lake.DeltaTables.exists(rt.spark(), rt.lake().gold(m.name()))) {
          continue;
        }
        String doc = Marts.doc(m);
        try {
          // One mart per call: each is swapped in its own transaction, so one that fails fails alone.
          var p = new MartPublisher().publish(rt.spark(), rt.lake(), List.of(m.name()),
              Map.of(m.name(), doc == null ? m.name() : MartPublisher.descriptionFromDoc(doc)),
              publishing.database().orElse(rt.meta()), publishing.schema());
          rows += p.stream().mapToLong(x -> x.rows()).sum();
          published++;
        } catch (Exception e) {
          failed.put(m.name(), Marts.oneLine(e));
          log.error("publish {}: FAILED ({})", m.name(), Marts.oneLine(e), e);
        }
      }
      contribution.incrementWriteCount(rows);
      java.util.Set<String> stale = state.unavailableMarts();
      state.note("summary", published + " mart(s) published to schema " + publishing.schema() + ", " + rows + " rows"
          + (stale.isEmpty() ? "" : "; as of their last refresh: " + String.join(", ", stale)));
      state.markPublished(failed.isEmpty());
      state.partial(PUBLISH, failed.isEmpty() ? null
          : "publishing failed for " + failed.size() + " mart(s): " + PartialFailure.list(failed));
      return RepeatStatus.FINISHED;
    });
  }

  /**
   * Renders the reports due after the run date (daily ones; weekly when it is a Sunday; monthly on
   * the month's last day) into PARKLAKE_HOME/reports/<report>/<period>/ and the reports bucket; for a
   * range, those of each date in order, an earlier date's from the marts replaced whole as they stood
   * on it ({@link AsOfMarts}). Each report fails alone; one that reads a mart this run could not
   * refresh is skipped. A restart renders only the reports that failed or were skipped (for a range:
   * only those dates' reports, their as-of marts computed again). How a range's reports are grouped
   * so that each report is built for many periods at once: {@link ReportBatches}.
   */
  Step report(String name) {
    return step(name, (contribution, chunk) -> {
      RunState state = new RunState(chunk);
      java.util.Set<String> unavailable = state.unavailableMarts();
      List<LocalDate> dates = state.dates();
      if (dates.size() > 1) {
        AsOfMarts.clear(rt);
      }
      Map<String, String> skipped = new java.util.LinkedHashMap<>();
      Map<LocalDate, List<Reports.Due>> due = new java.util.TreeMap<>();
      for (LocalDate day : dates) {
        for (Reports.Due d : Reports.dueAfter(day)) {
          String label = ReportBatches.label(d);
          if (state.done(REPORT).contains(label)) {
            continue;
          }
          List<String> missing = d.report().marts().stream().filter(unavailable::contains).toList();
          if (!missing.isEmpty()) {
            skipped.put(label, "skipped: reads " + String.join(", ", missing) + ", not refreshed by this run");
            log.warn("report {}: skipped, it reads {} which this run could not refresh", label, missing);
            continue;
          }
          due.computeIfAbsent(day, x -> new java.util.ArrayList<>()).add(d);
        }
      }
      if (dates.size() > 1) {
        log.info("reports of {} date(s): {} to render", dates.size(), due.values().stream().mapToInt(List::size).sum());
      }
      ReportBatches.Outcome outcome = ReportBatches.render(rt, state.runId(), state.date(), due,
          label -> state.markDone(REPORT, label));
      Map<String, String> failed = new java.util.LinkedHashMap<>(skipped);
      failed.putAll(outcome.failed());
      if (dates.size() > 1) {
        AsOfMarts.clear(rt);
        state.note("summary.as_of", String.format(java.util.Locale.ROOT, "%d date(s), %.1f s", outcome.asOfDates(), outcome.asOfSeconds()));
      }
      contribution.incrementWriteCount(outcome.done().size());
      state.note("summary", String.join(", ", outcome.done()));
      state.partial(REPORT, failed.isEmpty() ? null : failed.size() + " report(s) not rendered: " + PartialFailure.list(failed));
      return RepeatStatus.FINISHED;
    });
  }

  /** Compacts small files and vacuums unreferenced ones, keeping the configured time travel. */
  Step maintenance(String name) {
    return step(name, (contribution, chunk) -> {
      RunState state = new RunState(chunk);
      if (state.done(MAINTENANCE).contains("lake")) {
        return RepeatStatus.FINISHED;
      }
      java.time.Duration interval = rt.settings().extraction().maintenanceInterval();
      java.time.Instant last = lastMaintenance();
      if (last != null && last.isAfter(java.time.Instant.now().minus(interval))) {
        log.info("maintenance: skipped, the lake was last compacted and vacuumed at {} ({}={})", last,
            SettingRegistry.MAINTENANCE_INTERVAL.key(), interval);
        state.note("summary", "skipped: last maintenance at " + last + " (" + SettingRegistry.MAINTENANCE_INTERVAL.key() + "="
            + interval + ")");
        state.markDone(MAINTENANCE, "lake");
        return RepeatStatus.FINISHED;
      }
      Map<String, String> failed = new java.util.TreeMap<>();
      var results = LakeMaintenance.run(rt.spark(), rt.lake(), rt.settings().extraction().vacuumRetentionHours(),
          (table, e) -> failed.put(table, Marts.oneLine(e)));
      // The write count marks a maintenance that went through (the interval counts from it); a partial one does not.
      contribution.incrementWriteCount(failed.isEmpty() ? results.size() : 0);
      long compacted = results.stream().filter(r -> r.filesAfter() < r.filesBefore()).count();
      state.note("summary", results.size() + " table(s) checked, " + compacted + " compacted");
      if (failed.isEmpty()) {
        state.markDone(MAINTENANCE, "lake");
      }
      state.partial(MAINTENANCE, failed.isEmpty() ? null
          : "maintenance failed for " + failed.size() + " table(s): " + PartialFailure.list(failed));
      return RepeatStatus.FINISHED;
    });
  }

  /** When the last maintenance that went through every table ended, from the job repository (null: never). */
  private java.time.Instant lastMaintenance() throws java.sql.SQLException {
    try (java.sql.Connection c = rt.meta().open();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet r = s.executeQuery("SELECT max(end_time) FROM parklake.batch_step_execution"
            + " WHERE step_name LIKE '%.maintenance' AND status = 'COMPLETED' AND write_count > 0")) {
      return r.next() && r.getTimestamp(1) != null ? r.getTimestamp(1).toInstant() : null;
    }
  }
}
