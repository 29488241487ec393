package io.parklake.pipelines.archive;

import io.parklake.warehouse.source.SourceTable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Locale;
import java.util.Map;

/**
 * One archive unit as the catalogue holds it: one table x one month (and a part number, for rows of
 * an archived month that became eligible later), its place in the manifest chain and its state.
 */
public record ArchiveUnit(
    String unitId,
    long chainSeq,
    String table,
    YearMonth month,
    int part,
    Status status,
    long rows,
    long versions,
    Map<String, BigDecimal> money,
    String keyMin,
    String keyMax,
    String storageClass,
    Instant retainUntil,
    String manifestKey,
    String manifestSha256,
    String previousManifestSha256,
    String runId) {

  /**
   * WRITTEN: objects and manifest uploaded, catalogued; VERIFIED: read back and equal to what was
   * archived and to what the source holds; PURGED: deleted from the hot lake; SOURCE_PURGED: also
   * deleted from the operator's database (only where the policy says so); REJECTED: its read-back did
   * not equal what was written (a corrupt object), so nothing of it was purged and its rows are archived
   * again in a further part. A rejected unit stays in the chain, as history, and is never served.
   */
  public enum Status { WRITTEN, VERIFIED, PURGED, SOURCE_PURGED, REJECTED }

  public static String id(String table, YearMonth month, int part) {
    return table + "/" + month + "/" + part;
  }

  /** The lake table the unit holds rows of. */
  public SourceTable sourceTable() {
    return SourceTable.valueOf(table.toUpperCase(Locale.ROOT));
  }

  /** This unit once its manifest is stored. */
  public ArchiveUnit withManifestSha256(String sha256) {
    return new ArchiveUnit(unitId, chainSeq, table, month, part, status, rows, versions, money, keyMin, keyMax, storageClass,
        retainUntil, manifestKey, sha256, previousManifestSha256, runId);
  }
}
