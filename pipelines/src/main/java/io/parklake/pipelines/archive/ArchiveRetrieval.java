package io.parklake.pipelines.archive;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.parklake.pipelines.archive.ArchiveManifest.ObjectEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Gets archived rows back with proof: every object of every unit is downloaded and checked against
 * the catalogue and the manifest chain before anything is written to the output folder; the output
 * holds the rows and {@code verification.json} (objects, hashes, counts, chain positions).
 */
public final class ArchiveRetrieval {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final SparkSession spark;
  private final ArchiveCatalog catalog;
  private final Archiver archiver;

  public ArchiveRetrieval(SparkSession spark, ArchiveCatalog catalog, Archiver archiver) {
    this.spark = spark;
    this.catalog = catalog;
    this.archiver = archiver;
  }

  /** Breaks in the catalogue's chain: positions not 1..n, or a unit whose link is not the previous manifest's hash. */
  public static List<String> chainProblems(List<ArchiveUnit> chain) {
    List<String> problems = new ArrayList<>();
    String previous = null;
    long expected = 1;
    for (ArchiveUnit u : chain) {
      if (u.chainSeq() != expected) {
        problems.add("chain position " + expected + " is missing (next is " + u.unitId() + " at " + u.chainSeq() + ")");
        expected = u.chainSeq();
      }
      if (!Objects.equals(u.previousManifestSha256(), previous)) {
        problems.add("unit " + u.unitId() + " links to " + u.previousManifestSha256() + ", the manifest before it is " + previous);
      }
      previous = u.manifestSha256();
      expected++;
    }
    return problems;
  }

  /** What a retrieval wrote. */
  public record Result(Path out, long rows, List<String> hashes) {}

  /**
   * Retrieves {@code units} into {@code out}: whole units when {@code keys} is null, else only the rows
   * with those keys ({@code rows.csv} or {@code rows.parquet}). Fails, writing no rows, when any
   * object, manifest or chain link does not verify.
   */
  public Result retrieve(List<ArchiveUnit> units, Collection<String> keys, Path out, String format, String principal,
      String reason) throws Exception {
    if (!format.equals("csv") && !format.equals("parquet")) {
      throw new IllegalArgumentException("format must be csv or parquet, was " + format);
    }
    List<ArchiveUnit> chain = catalog.units(null, null, null);
    List<String> chainProblems = chainProblems(chain);
    if (!chainProblems.isEmpty()) {
      throw new Archiver.IntegrityException("the manifest chain does not verify: " + String.join("; ", chainProblems));
    }
    Files.createDirectories(out);
    Path staging = out.resolve(".staging");
    Archiver.deleteTree(staging);
    List<Map<String, Object>> verified = new ArrayList<>();
    List<String> hashes = new ArrayList<>();
    try {
      for (ArchiveUnit u : units) {
        archiver.fetchVerified(u.sourceTable(), u, staging.resolve(folder(u)));
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("unit", u.unitId());
        entry.put("chain_seq", u.chainSeq());
        entry.put("manifest_key", u.manifestKey());
        entry.put("manifest_sha256", u.manifestSha256());
        entry.put("previous_manifest_sha256", u.previousManifestSha256());
        entry.put("rows", u.rows());
        entry.put("money", u.money());
        List<Map<String, Object>> objects = new ArrayList<>();
        for (ObjectEntry o : catalog.objects(u.unitId())) {
          objects.add(Map.of("key", o.key(), "sha256", o.sha256(), "bytes", o.bytes(), "rows", o.rows(), "verified", true));
          hashes.add(o.sha256());
        }
        entry.put("objects", objects);
        verified.add(entry);
      }
      long rows = 0;
      if (keys == null) {
        for (ArchiveUnit u : units) {
          Path target = Files.createDirectories(out.resolve(folder(u)));
          List<String> names = format.equals("csv") ? List.of("current.csv") : List.of("current.parquet", "versions.parquet");
          for (String name : names) {
            Files.copy(staging.resolve(folder(u)).resolve(name), target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
          }
          Files.copy(staging.resolve(folder(u)).resolve("manifest.json"), target.resolve("manifest.json"),
              StandardCopyOption.REPLACE_EXISTING);
          rows += u.rows();
        }
      } else if (!units.isEmpty()) {
        List<String> files = units.stream().map(u -> staging.resolve(folder(u)).resolve("current.parquet").toString()).toList();
        Dataset<Row> all = spark.read().parquet(files.toArray(String[]::new));
        Dataset<Row> wanted = spark.createDataset(new ArrayList<>(keys), Encoders.STRING()).toDF("_key");
        Dataset<Row> matching = all.join(wanted, col("id").cast("string").equalTo(col("_key")), "left_semi").orderBy("id").cache();
        rows = matching.count();
        Path file = Archiver.single(matching, staging, "rows." + format, format);
        Files.copy(file, out.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        matching.unpersist();
      }
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("retrieved_at", Instant.now().toString());
      report.put("principal", principal);
      report.put("reason", reason);
      report.put("format", format);
      report.put("rows", rows);
      report.put("keys", keys == null ? "every row of each unit" : keys.size() + " key(s)");
      report.put("chain", Map.of("units", chain.size(), "intact", true,
          "head_sha256", chain.isEmpty() ? "" : chain.get(chain.size() - 1).manifestSha256()));
      report.put("units", verified);
      Files.write(out.resolve("verification.json"), JSON.writeValueAsBytes(report));
      return new Result(out, rows, hashes);
    } finally {
      Archiver.deleteTree(staging);
    }
  }

  private static String folder(ArchiveUnit u) {
    return Archiver.folder(u);
  }
}
