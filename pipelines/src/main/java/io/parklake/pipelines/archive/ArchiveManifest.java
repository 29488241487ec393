package io.parklake.pipelines.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A unit's manifest: what it holds (table, month, policy, row and version counts, money sums, key
 * range, schema), every object with its SHA-256, the run that wrote it, and the SHA-256 of the
 * previous unit's manifest, so that the manifests form a chain in which any edit, removal or
 * insertion shows. Written as JSON; its own SHA-256 is kept in the catalogue and in the next manifest.
 */
public final class ArchiveManifest {
  public static final String FORMAT = "parklake-archive-manifest/1";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One archived object. */
  public record ObjectEntry(String name, String key, String sha256, long bytes, long rows) {}

  private ArchiveManifest() {}

  /** The manifest's bytes (UTF-8 JSON, keys in a fixed order). */
  public static byte[] write(ArchiveUnit u, ArchivePolicy policy, List<Map<String, String>> schema, List<ObjectEntry> objects,
      Instant writtenAt) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("unit", u.unitId());
    m.put("chain_seq", u.chainSeq());
    m.put("table", u.table());
    m.put("month", u.month().toString());
    m.put("part", u.part());
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("age", policy.age().toString());
    p.put("aging_date", policy.agingLabel());
    p.put("row_filter", policy.rowFilter() == null ? "every row" : policy.rowFilter());
    p.put("storage_class", policy.storageClass());
    p.put("lock_retention", policy.lockRetention().map(Object::toString).orElse("none"));
    p.put("purge_source", policy.purgeSource());
    m.put("policy", p);
    m.put("rows", u.rows());
    m.put("versions", u.versions());
    Map<String, String> money = new LinkedHashMap<>();
    u.money().forEach((k, v) -> money.put(k, v.toPlainString()));
    m.put("money", money);
    m.put("key_min", u.keyMin());
    m.put("key_max", u.keyMax());
    m.put("schema", schema);
    List<Map<String, Object>> objs = new ArrayList<>();
    for (ObjectEntry o : objects) {
      Map<String, Object> om = new LinkedHashMap<>();
      om.put("name", o.name());
      om.put("key", o.key());
      om.put("sha256", o.sha256());
      om.put("bytes", o.bytes());
      om.put("rows", o.rows());
      objs.add(om);
    }
    m.put("objects", objs);
    m.put("run_id", u.runId());
    m.put("written_at", writtenAt.toString());
    m.put("retain_until", u.retainUntil() == null ? null : u.retainUntil().toString());
    m.put("previous_manifest_sha256", u.previousManifestSha256());
    return JSON.writeValueAsBytes(m);
  }

  /** A manifest as read back: the fields verification compares. */
  public record Parsed(String unit, long chainSeq, long rows, Map<String, BigDecimal> money, List<ObjectEntry> objects,
      String previousManifestSha256) {}

  public static Parsed parse(byte[] bytes) throws IOException {
    JsonNode n = JSON.readTree(bytes);
    if (!FORMAT.equals(n.path("format").asText())) {
      throw new IOException("not a " + FORMAT + " document");
    }
    Map<String, BigDecimal> money = new LinkedHashMap<>();
    n.path("money").fields().forEachRemaining(e -> money.put(e.getKey(), new BigDecimal(e.getValue().asText())));
    List<ObjectEntry> objects = new ArrayList<>();
    for (JsonNode o : n.path("objects")) {
      objects.add(new ObjectEntry(o.path("name").asText(), o.path("key").asText(), o.path("sha256").asText(),
          o.path("bytes").asLong(), o.path("rows").asLong()));
    }
    JsonNode prev = n.get("previous_manifest_sha256");
    return new Parsed(n.path("unit").asText(), n.path("chain_seq").asLong(), n.path("rows").asLong(), money, objects,
        prev == null || prev.isNull() ? null : prev.asText());
  }
}
