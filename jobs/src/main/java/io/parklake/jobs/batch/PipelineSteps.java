package io.parklake.jobs.batch;

import io.parklake.jobs.runtime.ParkLakeRuntime;
import io.parklake.pipelines.extract.DeleteDetector.Deletions;
import io.parklake.pipelines.extract.ExtractStats;
import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import io.parklake.pipelines.marts.Marts;
import io.parklake.jobs.config.ParkLakeSettings;
import io.parklake.reports.catalog.ReportRenderer;
import io.parklake.reports.catalog.ReportSource;
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

  private Step step(String name, Tasklet tasklet) {
    return new StepBuilder(name, repository).tasklet(tasklet, tx).build();
  }

  /** Extracts every source table's changes since its watermark into bronze, silver and quarantine. */
  Step extract(String name) {
    return step(name, (contribution, chunk) -> {
      RunState state = new RunState(chunk);
      List<ExtractStats> all = rt.extraction().extract(List.of(SourceTable.values()),
          rt.settings().extraction().lookBack(), state.runId());
      long read = 0;
      long quarantined = 0;
      for (ExtractStats s : all) {
        state.recordExtraction(s);
        read += s.read();
        quarantined += s.quarantined();
        contribution.incrementWriteCount(s.written());
        state.note("table." + s.table(), s.summary());
      }
      state.note("summary", String.format("read %d row versions, quarantined %d", read, quarantined));
      return RepeatStatus.FINISHED;
    });
  }

  /** Finds rows hard-deleted in the source within the delete window before the run date. */
  Step deletes(String name) {
    return step(name, (contribution, chunk) -> {
      RunState state = new RunState(chunk);
      LocalDate to = state.date().plusDays(1);
      LocalDate from = state.date().minusDays(rt.settings().extraction().deleteWindowDays());
      Map<SourceTable, Deletions> deleted = rt.extraction().detectDeletes(List.of(SourceTable.values()), from, to, state.runId());
      deleted.forEach((table, d) -> {
        state.addAffected(table.tableName(), d.dates());
        contribution.incrementWriteCount(d.keys().size());
        if (!d.keys().isEmpty()) {
          state.note("deleted." + table.tableName(), String.valueOf(d.keys().size()));
        }
      });
      return RepeatStatus.FINISHED;
    });
  }

  /** Fails the run when any table's silver + quarantine differs from the source on a touched day. */
  Step reconcile(String name) {
    return step(name, (contribution, chunk) -> {
      RunState state = new RunState(chunk);
      for (SourceTable t : SourceTable.values()) {
        Instant high = state.high(t.tableName());
        if (high != null) {
          rt.extraction().reconcile(t, state.affected(t.tableName()), high);
        }
      }
      return RepeatStatus.FINISHED;
    });
  }

  /**
   * Refreshes the marts whose inputs changed, for exactly the partitions those business dates map to
   * (nightly: every mart, and the run date even without activity; hourly: the cheap marts only).
   */
  Step marts(String name, boolean nightly) {
    return step(name, (contribution, chunk) -> {
      RunState state = new RunState(chunk);
      // This run's changes plus those of batches a crashed earlier run committed but never refreshed.
      var pending = rt.extraction().ledger().pendingMartChanges(nightly);
      Map<String, SortedSet<LocalDate>> changed = new java.util.HashMap<>();
      for (SourceTable t : SourceTable.values()) {
        SortedSet<LocalDate> days = state.affected(t.tableName());
        days.addAll(pending.dates().getOrDefault(t.tableName(), new TreeSet<>()));
        changed.put(t.tableName(), days);
      }
      MartContext context = new MartContext(rt.spark(), rt.lake(), state.date());
      List<Marts.Refreshed> done = Marts.refreshChanged(context, changed,
          nightly ? List.of(state.date()) : List.of(), nightly ? m -> true : Mart::hourly);
      rt.extraction().ledger().markMartsRefreshed(pending.batchIds(), nightly);
      noteMarts(state, contribution, done);
      return RepeatStatus.FINISHED;
    });
  }

  /** Recomputes every mart from all the lake holds and overwrites each gold table whole. */
  Step rebuildMarts(String name) {
    return step(name, (contribution, chunk) -> {
      RunState state = new RunState(chunk);
      MartContext context = new MartContext(rt.spark(), rt.lake(), state.date());
      var pending = rt.extraction().ledger().pendingMartChanges(true);
      noteMarts(state, contribution, Marts.rebuild(context, m -> true));
      rt.extraction().ledger().markMartsRefreshed(pending.batchIds(), true);
      return RepeatStatus.FINISHED;
    });
  }

  private static void noteMarts(RunState state, org.springframework.batch.core.StepContribution contribution,
      List<Marts.Refreshed> done) {
    long rows = 0;
    for (Marts.Refreshed r : done) {
      rows += r.rows();
      state.note("mart." + r.mart(), r.summary());
    }
    contribution.incrementWriteCount(rows);
    state.note("summary", done.size() + " mart(s) refreshed, " + rows + " rows");
  }

  /**
   * Publishes every gold mart into the PostgreSQL schema BI tools read ({@code mart} by default),
   * each table swapped in one transaction so a reader never sees a half-written one.
   */
  Step publish(String name) {
    return step(name, (contribution, chunk) -> {
      var publishing = rt.settings().publishing();
      if (!publishing.enabled()) {
        new RunState(chunk).note("summary", "not published (" + ParkLakeSettings.MART_SCHEMA + "=none)");
        return RepeatStatus.FINISHED;
      }
      List<String> names = new java.util.ArrayList<>();
      Map<String, String> descriptions = new java.util.HashMap<>();
      for (Mart m : Marts.all()) {
        if (io.parklake.warehouse.lake.DeltaTables.exists(rt.spark(), rt.lake().gold(m.name()))) {
          names.add(m.name());
          String doc = Marts.doc(m);
          descriptions.put(m.name(), doc == null ? m.name() : MartPublisher.descriptionFromDoc(doc));
        }
      }
      var published = new MartPublisher().publish(rt.spark(), rt.lake(), names, descriptions,
          publishing.database().orElse(rt.meta()), publishing.schema());
      long rows = published.stream().mapToLong(p -> p.rows()).sum();
      contribution.incrementWriteCount(rows);
      new RunState(chunk).note("summary", published.size() + " mart(s) published to schema " + publishing.schema() + ", "
          + rows + " rows");
      return RepeatStatus.FINISHED;
    });
  }

  /**
   * Renders the reports due after the run date (daily ones; weekly when it is a Sunday; monthly on
   * the month's last day) into PARKLAKE_HOME/reports/<report>/<period>/ and the reports bucket.
   */
  Step report(String name) {
    return step(name, (contribution, chunk) -> {
      RunState state = new RunState(chunk);
      ReportSource source = new ReportSource(rt.spark(), rt.lake());
      List<String> done = new java.util.ArrayList<>();
      for (Reports.Due due : Reports.dueAfter(state.date())) {
        ReportRenderer.Rendered r = ReportRenderer.render(due.report(), due.period(), source, rt.reportsDir(),
            java.time.Instant.now(), rt.reportStore());
        done.add(due.report().name() + " " + due.period().label());
        log.info("report {} -> {} and s3://{}/{}/{}/", due.report().name(), r.dir(), rt.reportStore().bucket(),
            due.report().name(), due.period().label());
      }
      contribution.incrementWriteCount(done.size());
      state.note("summary", String.join(", ", done));
      return RepeatStatus.FINISHED;
    });
  }

  /** Compacts small files and vacuums unreferenced ones, keeping the configured time travel. */
  Step maintenance(String name) {
    return step(name, (contribution, chunk) -> {
      var results = LakeMaintenance.run(rt.spark(), rt.lake(), rt.settings().extraction().vacuumRetentionHours());
      contribution.incrementWriteCount(results.size());
      return RepeatStatus.FINISHED;
    });
  }
}
