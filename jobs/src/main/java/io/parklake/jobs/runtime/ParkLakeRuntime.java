package io.parklake.jobs.runtime;

import io.parklake.jobs.batch.RunLeases;
import io.parklake.jobs.config.ParkLakeSettings;
import io.parklake.jobs.config.ParkLakeSettings.S3Settings;
import io.parklake.jobs.config.UserError;
import io.parklake.jobs.embedded.EmbeddedPostgresServer;
import io.parklake.jobs.embedded.EmbeddedS3Server;
import io.parklake.pipelines.extract.FaultInjector;
import io.parklake.pipelines.extract.LakeExtraction;
import io.parklake.reports.delivery.S3ReportStore;
import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.meta.MetadataSchema;
import io.parklake.warehouse.spark.SparkSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import io.parklake.jobs.config.SettingRegistry;
import io.parklake.pipelines.archive.ArchiveBucket;
import io.parklake.warehouse.storage.S3Clients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a command runs against, resolved from {@link ParkLakeSettings}: the home folder, the
 * source and metadata databases, S3 and Spark. Unset services are started embedded; configured ones
 * are checked up front so that bad configuration fails in seconds naming the setting. Spark starts
 * on first use, since several commands never need it.
 */
public final class ParkLakeRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ParkLakeRuntime.class);

  private final ParkLakeSettings settings;
  private final FaultInjector faults;
  private final List<AutoCloseable> started = new ArrayList<>();
  private DatabaseAddress source;
  private DatabaseAddress meta;
  private S3Settings s3;
  private Path s3LocalRoot;
  private SparkSession spark;
  private S3ReportStore reportStore;
  private ArchiveBucket archiveBucket;

  private ParkLakeRuntime(ParkLakeSettings settings, FaultInjector faults) {
    this.settings = settings;
    this.faults = faults;
  }

  /** Checks the home folder and the databases, starting embedded PostgreSQL if none is configured. */
  public static ParkLakeRuntime open(ParkLakeSettings settings) {
    return open(settings, FaultInjector.NONE);
  }

  /** As {@link #open(ParkLakeSettings)}, with faults injected into extraction (restart tests). */
  public static ParkLakeRuntime open(ParkLakeSettings settings, FaultInjector faults) {
    ParkLakeRuntime rt = new ParkLakeRuntime(settings, faults);
    try {
      rt.checkHome();
      rt.openDatabases();
      return rt;
    } catch (RuntimeException e) {
      rt.close();
      throw e;
    }
  }

  public ParkLakeSettings settings() {
    return settings;
  }

  public DatabaseAddress source() {
    return source;
  }

  public DatabaseAddress meta() {
    return meta;
  }

  public FaultInjector faults() {
    return faults;
  }

  /** The extraction over this runtime's source, metadata database and lake. */
  public LakeExtraction extraction() {
    return new LakeExtraction(spark(), source, meta, lake(), faults);
  }

  /** The archive job's worker: silver and bronze, the source, the catalogue in meta, the archive bucket. */
  public io.parklake.pipelines.archive.Archiver archiver() {
    return new io.parklake.pipelines.archive.Archiver(spark(), source, lake(), archiveCatalog(), archiveBucket(),
        settings.home().resolve("work").resolve("archive"), faults, settings.archive().restoreTier().s3());
  }

  public io.parklake.pipelines.archive.ArchiveCatalog archiveCatalog() {
    return new io.parklake.pipelines.archive.ArchiveCatalog(meta);
  }

  public LakeLayout lake() {
    return new LakeLayout(settings.lakeDir());
  }

  public Path reportsDir() {
    return settings.reportsDir();
  }

  public synchronized SparkSession spark() {
    if (spark == null) {
      long t0 = System.nanoTime();
      spark = SparkSessions.create(settings.sparkMaster(), settings.home().resolve("work"));
      spark.sparkContext().setLogLevel("WARN");
      log.info("Spark {} ready ({}) in {} ms", spark.version(), settings.sparkMaster(), (System.nanoTime() - t0) / 1_000_000);
    }
    return spark;
  }

  /** The S3 API in use: the configured one, or the embedded S3 server, started on first use. */
  private synchronized S3Settings s3() {
    if (s3 == null) {
      if (settings.s3().isPresent()) {
        s3 = settings.s3().get();
      } else {
        try {
          EmbeddedS3Server server = EmbeddedS3Server.start(settings.home());
          started.add(server);
          s3 = server.settings();
          s3LocalRoot = server.root();
          log.info("embedded S3 at {} storing under {}", s3.endpoint(), s3LocalRoot);
        } catch (Exception e) {
          throw new IllegalStateException("could not start the embedded S3 server: " + e.getMessage(), e);
        }
      }
    }
    return s3;
  }

  private software.amazon.awssdk.services.s3.S3Client s3Client(String bucket, String bucketSetting) {
    S3Settings s = s3();
    var client = S3Clients.client(s.endpoint(), s.accessKey(), s.secretKey(), s.region());
    try {
      S3Clients.ensureBucket(client, bucket);
    } catch (RuntimeException e) {
      client.close();
      throw new UserError(settings.s3().isPresent() ? ParkLakeSettings.S3_ENDPOINT : bucketSetting,
          "cannot use bucket '" + bucket + "' at " + s.endpoint() + ": " + oneLine(e));
    }
    return client;
  }

  /** The reports bucket, starting the embedded S3 server on first use when none is configured. */
  public synchronized S3ReportStore reportStore() {
    if (reportStore == null) {
      reportStore = new S3ReportStore(s3Client(settings.reportsBucket(), ParkLakeSettings.REPORTS_BUCKET),
          settings.reportsBucket());
      started.add(reportStore);
    }
    return reportStore;
  }

  /** The archive bucket ({@code archive.bucket}), on the same S3 API as the reports. */
  public synchronized ArchiveBucket archiveBucket() {
    if (archiveBucket == null) {
      String bucket = settings.archive().bucket();
      archiveBucket = new ArchiveBucket(s3Client(bucket, SettingRegistry.ARCHIVE_BUCKET.env()), bucket);
      started.add(archiveBucket);
    }
    return archiveBucket;
  }

  /** Where the embedded S3 server keeps the objects, when it is the one in use. */
  public Optional<Path> s3LocalRoot() {
    return Optional.ofNullable(s3LocalRoot);
  }

  public String s3Endpoint() {
    return s3().endpoint();
  }

  private void checkHome() {
    Path home = settings.home();
    try {
      Files.createDirectories(home);
      Path probe = Files.createTempFile(home, ".write-probe", "");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw new UserError(ParkLakeSettings.HOME, home + " is not a writable folder (" + oneLine(e) + ")");
    }
  }

  private void openDatabases() {
    if (settings.source().isPresent()) {
      source = settings.source().get();
      check(source, ParkLakeSettings.SOURCE_URL);
    } else {
      try {
        long t0 = System.nanoTime();
        EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(settings.home());
        started.add(pg);
        source = pg.address();
        log.info("embedded PostgreSQL at {} (data in {}) in {} ms", source.url(), settings.home().resolve("postgres"),
            (System.nanoTime() - t0) / 1_000_000);
      } catch (IOException e) {
        throw new UserError(ParkLakeSettings.HOME,
            "could not start embedded PostgreSQL under " + settings.home().resolve("postgres") + ": " + oneLine(e));
      }
    }
    meta = settings.meta().orElse(source);
    if (!meta.equals(source)) {
      check(meta, ParkLakeSettings.META_URL);
    }
    try {
      MetadataSchema.migrate(meta);
    } catch (RuntimeException e) {
      throw new UserError(settings.meta().isPresent() ? ParkLakeSettings.META_URL : ParkLakeSettings.SOURCE_URL,
          "cannot create schema parklake in " + meta + ": " + oneLine(e));
    }
    // The truth before any command looks at or starts runs: executions whose process died are FAILED
    // (abandoned) and restartable, and history older than history.max-age is gone.
    RunLeases.sweep(meta);
    RunLeases.purgeHistory(meta, settings.serve().historyMaxAge());
  }

  private static void check(DatabaseAddress db, String setting) {
    try (Connection c = db.open()) {
      c.isValid(DatabaseAddress.CONNECT_TIMEOUT_SECONDS);
    } catch (SQLException e) {
      throw new UserError(setting, "cannot connect to " + db + ": " + oneLine(e));
    }
  }

  static String oneLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (root != e && root.getMessage() != null && !msg.contains(root.getMessage())) {
      msg = msg + " (" + root.getMessage() + ")";
    }
    return msg.replaceAll("\\s+", " ").trim();
  }

  /** Stops the embedded servers this runtime started. The Spark session lives as long as the JVM. */
  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        log.warn("while stopping {}: {}", started.get(i).getClass().getSimpleName(), e.getMessage());
      }
    }
    started.clear();
  }
}
