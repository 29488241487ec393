package io.parklake.jobs.serve;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.parklake.jobs.config.ServeSettings;
import io.parklake.jobs.config.ServeSettings.Schedule;
import io.parklake.jobs.config.UserError;
import io.parklake.warehouse.db.DatabaseAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * serve's Quartz scheduler: a JDBC job store in schema {@code parklake} (tables {@code qrtz_*}),
 * clustered, so any number of serve processes on one metadata database fire each trigger once.
 *
 * <p>Misfires: a trigger whose time passed while no serve process was up fires <em>once</em> as soon as
 * one is (Quartz's "fire and proceed" for cron triggers), then keeps its schedule: a nightly missed for
 * three days runs one nightly at start, not three. The business date of that run is computed from the
 * scheduled fire time, so it is the one the missed run would have had. Triggers are created once and
 * kept across restarts (their pause state and fire times live in the database); one is rescheduled
 * only when its cron expression or zone changed in configuration, and removed when disabled.
 */
final class Schedules implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Schedules.class);
  static final String GROUP = "parklake";
  private static final String DATA_SOURCE = "parklakeMeta";

  private final Scheduler scheduler;
  private final HikariDataSource pool;
  private final ServeSettings settings;

  private Schedules(Scheduler scheduler, HikariDataSource pool, ServeSettings settings) {
    this.scheduler = scheduler;
    this.pool = pool;
    this.settings = settings;
  }

  /** The jobs a schedule can fire and how each turns a fire time into the CLI arguments of its run. */
  static List<String> runArguments(String job, Instant scheduledFire, ZoneId zone) {
    LocalDate local = scheduledFire.atZone(zone).toLocalDate();
    // A nightly or an archive at 02:00 closes the day before; an hourly refreshes the current business day.
    LocalDate date = "hourly".equals(job) ? local : local.minusDays(1);
    return List.of("run", job, "--date", date.toString(), "--json");
  }

  /**
   * The latest time {@code cron} fires at or before {@code at} (looking back up to 40 days), or
   * {@code at} itself when there is none: a misfired trigger that Quartz fires late, "now", stands for
   * the run it missed, and that run's business date is what the job must get.
   */
  static Instant latestFireAtOrBefore(String cron, TimeZone zone, Instant at) {
    try {
      CronExpression e = new CronExpression(cron);
      e.setTimeZone(zone);
      java.util.Date limit = java.util.Date.from(at);
      java.util.Date t = e.getNextValidTimeAfter(java.util.Date.from(at.minus(java.time.Duration.ofDays(40))));
      java.util.Date latest = null;
      while (t != null && !t.after(limit)) {
        latest = t;
        t = e.getNextValidTimeAfter(t);
      }
      return latest == null ? at : latest.toInstant();
    } catch (java.text.ParseException e) {
      return at;
    }
  }

  /** Validates every schedule's cron expression, naming the setting of the first bad one. */
  static void validate(ServeSettings settings) {
    for (Schedule s : settings.schedules().values()) {
      if (!CronExpression.isValidExpression(s.cron())) {
        throw new UserError("schedules." + s.name() + ".cron",
            "'" + s.cron() + "' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. 0 0 2 * * ?)");
      }
    }
  }

  static Schedules start(DatabaseAddress meta, ServeSettings settings, ScheduledRun.Target target) throws SchedulerException {
    validate(settings);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(meta.url());
    config.setDataSourceProperties(meta.jdbcProperties());
    config.setMaximumPoolSize(4);
    config.setPoolName("parklake-quartz");
    HikariDataSource pool = new HikariDataSource(config);
    DBConnectionManager.getInstance().addConnectionProvider(DATA_SOURCE, new ConnectionProvider() {
      @Override
      public Connection getConnection() throws SQLException {
        return pool.getConnection();
      }

      @Override
      public void shutdown() {}

      @Override
      public void initialize() {}
    });
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", "parklake");
    p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    p.setProperty("org.quartz.threadPool.threadCount", "2");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
    p.setProperty("org.quartz.jobStore.tablePrefix", "parklake.qrtz_");
    p.setProperty("org.quartz.jobStore.dataSource", DATA_SOURCE);
    p.setProperty("org.quartz.jobStore.isClustered", "true");
    p.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(settings.clusterCheckin().toMillis()));
    p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
    p.setProperty("org.quartz.jobStore.useProperties", "true");
    Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
    scheduler.getContext().put(ScheduledRun.TARGET, target);
    Schedules schedules = new Schedules(scheduler, pool, settings);
    try {
      schedules.apply();
    } catch (org.quartz.ObjectAlreadyExistsException e) {
      // Another serve process created the same trigger at the same moment: take the stored one as it is.
      log.info("another serve process created the schedules first ({}): using them", e.getMessage());
      schedules.apply();
    }
    scheduler.start();
    return schedules;
  }

  /** Brings the stored triggers in line with configuration, keeping unchanged ones as they are. */
  private void apply() throws SchedulerException {
    TimeZone zone = TimeZone.getTimeZone(settings.zone());
    for (Schedule s : settings.schedules().values()) {
      TriggerKey key = TriggerKey.triggerKey(s.name(), GROUP);
      JobKey jobKey = JobKey.jobKey(s.name(), GROUP);
      if (!s.enabled()) {
        if (scheduler.checkExists(jobKey)) {
          scheduler.deleteJob(jobKey);
          log.info("schedule {} is disabled: removed", s.name());
        }
        continue;
      }
      CronTrigger trigger = TriggerBuilder.newTrigger().withIdentity(key).forJob(jobKey)
          .withDescription(s.job() + " at '" + s.cron() + "' in " + settings.zone())
          .withSchedule(CronScheduleBuilder.cronSchedule(s.cron()).inTimeZone(zone).withMisfireHandlingInstructionFireAndProceed())
          .build();
      Trigger existing = scheduler.getTrigger(key);
      if (existing instanceof CronTrigger c && c.getCronExpression().equals(s.cron())
          && c.getTimeZone().getID().equals(zone.getID()) && scheduler.checkExists(jobKey)) {
        log.info("schedule {}: {} '{}' in {}, next at {}", s.name(), s.job(), s.cron(), zone.getID(), c.getNextFireTime());
        continue;
      }
      // requestRecovery: a fire in progress on a serve process that dies (waiting for the lake, say) is
      // run again by another member of the cluster, for the same fire time.
      JobDetail job = JobBuilder.newJob(ScheduledRun.class).withIdentity(jobKey).usingJobData(ScheduledRun.JOB, s.job())
          .usingJobData(ScheduledRun.CRON, s.cron()).usingJobData(ScheduledRun.ZONE, zone.getID())
          .storeDurably().requestRecovery(true).build();
      scheduler.addJob(job, true);
      if (existing != null) {
        scheduler.rescheduleJob(key, trigger);
      } else {
        scheduler.scheduleJob(trigger);
      }
      log.info("schedule {}: {} '{}' in {} (re)created, next at {}", s.name(), s.job(), s.cron(), zone.getID(),
          scheduler.getTrigger(key).getNextFireTime());
    }
  }

  /** Every configured schedule with its state in the cluster. */
  List<Map<String, Object>> list() throws SchedulerException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Schedule s : settings.schedules().values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", s.name());
      m.put("job", s.job());
      m.put("cron", s.cron());
      m.put("zone", settings.zone().getId());
      m.put("enabled", s.enabled());
      Trigger t = scheduler.getTrigger(TriggerKey.triggerKey(s.name(), GROUP));
      m.put("state", t == null ? "DISABLED" : scheduler.getTriggerState(t.getKey()).name());
      m.put("nextFire", t == null || t.getNextFireTime() == null ? null : t.getNextFireTime().toInstant().toString());
      m.put("previousFire", t == null || t.getPreviousFireTime() == null ? null : t.getPreviousFireTime().toInstant().toString());
      out.add(m);
    }
    return out;
  }

  /** Pauses or resumes one schedule; false when there is no such (enabled) schedule. */
  boolean setPaused(String name, boolean paused) throws SchedulerException {
    TriggerKey key = TriggerKey.triggerKey(name, GROUP);
    if (!scheduler.checkExists(key)) {
      return false;
    }
    if (paused) {
      scheduler.pauseTrigger(key);
    } else {
      scheduler.resumeTrigger(key);
    }
    log.info("schedule {} {}", name, paused ? "paused" : "resumed");
    return true;
  }

  boolean started() throws SchedulerException {
    return scheduler.isStarted() && !scheduler.isShutdown();
  }

  @Override
  public void close() {
    try {
      scheduler.shutdown(false);
    } catch (SchedulerException e) {
      log.warn("while stopping Quartz: {}", e.getMessage());
    }
    pool.close();
  }

  /** The Quartz job behind every schedule: one run of a ParkLake job, through serve's launcher. */
  @DisallowConcurrentExecution
  public static final class ScheduledRun implements org.quartz.Job {
    static final String TARGET = "parklake.target";
    static final String JOB = "job";
    static final String CRON = "cron";
    static final String ZONE = "zone";

    /** What a fired schedule calls. */
    interface Target {
      void fire(String schedule, String job, Instant scheduledFire);
    }

    @Override
    public void execute(JobExecutionContext context) {
      try {
        Target target = (Target) context.getScheduler().getContext().get(TARGET);
        String job = context.getMergedJobDataMap().getString(JOB);
        Instant scheduled = context.getScheduledFireTime().toInstant();
        String schedule = context.getTrigger().getKey().getName();
        if (context.isRecovering()) {
          // Re-run by this process for a member that died while the fire was in progress.
          String original = context.getMergedJobDataMap().getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS);
          if (original != null) {
            scheduled = Instant.ofEpochMilli(Long.parseLong(original));
          }
          schedule = context.getJobDetail().getKey().getName();
          log.info("schedule {}: recovering the fire of {} that a serve process which died had in progress", schedule, scheduled);
          String cron = context.getMergedJobDataMap().getString(CRON);
          if (cron != null) {
            scheduled = latestFireAtOrBefore(cron, TimeZone.getTimeZone(context.getMergedJobDataMap().getString(ZONE)), scheduled);
          }
        } else if (context.getTrigger() instanceof CronTrigger cron) {
          // A misfire fired "now": the run gets the date of the latest fire time it stands for.
          scheduled = latestFireAtOrBefore(cron.getCronExpression(), cron.getTimeZone(), scheduled);
        }
        target.fire(schedule, job, scheduled);
      } catch (SchedulerException | RuntimeException e) {
        log.error("schedule {} could not run: {}", context.getTrigger().getKey().getName(), e.getMessage(), e);
      }
    }
  }
}
