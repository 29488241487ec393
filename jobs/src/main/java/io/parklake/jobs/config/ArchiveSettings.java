package io.parklake.jobs.config;

import io.parklake.pipelines.archive.ArchivePolicy;
import io.parklake.warehouse.source.SourceTable;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.s3.model.Tier;

/**
 * What the archive job and the compliance commands need: the archive bucket, the restore tier for
 * objects in an offline class, and each table's policy (seed 001's defaults, with the age, storage
 * class, lock retention and source purge taken from the configuration).
 */
public record ArchiveSettings(String bucket, RestoreTier restoreTier, Map<SourceTable, ArchivePolicy> policies) {

  /** Glacier's restore tiers: expedited (minutes, costly), standard (hours), bulk (up to two days, cheapest). */
  public enum RestoreTier {
    EXPEDITED, STANDARD, BULK;

    public Tier s3() {
      return Tier.fromValue(name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT));
    }
  }

  static ArchiveSettings from(Configuration c) {
    Map<SourceTable, ArchivePolicy> policies = new LinkedHashMap<>();
    for (SettingRegistry.ArchiveTableSettings a : SettingRegistry.ARCHIVE_TABLES) {
      policies.put(a.table(), ArchivePolicy.defaults(a.table())
          .withAge(c.get(a.age()))
          .withStorageClass(c.get(a.storageClass()))
          .withLockRetention(c.find(a.lockRetention()))
          .withPurgeSource(c.get(a.purgeSource())));
    }
    return new ArchiveSettings(c.get(SettingRegistry.ARCHIVE_BUCKET), c.get(SettingRegistry.ARCHIVE_RESTORE_TIER),
        java.util.Collections.unmodifiableMap(policies));
  }

  /** A table name as users type it, checked against the policies; null (no table asked for) stays null. */
  public String tableOrNull(String table) {
    return table == null ? null : policy(table).table().tableName();
  }

  /**
   * A month such as {@code 2024-03}, or null when none was given; text that is not a month throws what
   * {@code invalid} makes of it (a command line and the HTTP API word it each their own way).
   */
  public static java.time.YearMonth month(String text, java.util.function.Function<String, ? extends RuntimeException> invalid) {
    if (text == null) {
      return null;
    }
    try {
      return java.time.YearMonth.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      throw invalid.apply(text);
    }
  }

  /** The policy of a table by its name, as users type it; fails naming the archived tables. */
  public ArchivePolicy policy(String table) {
    for (ArchivePolicy p : policies.values()) {
      if (p.table().tableName().equals(table)) {
        return p;
      }
    }
    throw new UserError("--table", "no archive policy for '" + table + "' (archived tables: "
        + String.join(", ", ArchivePolicy.TABLES.stream().map(SourceTable::tableName).toList()) + ")");
  }
}
