package io.parklake.warehouse.lake;

import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where each lake table lives: {@code <root>/<layer>/<table>}, with layers bronze (raw extracted
 * rows), silver (current, clean rows), quarantine (rejected rows with a reason) and gold (marts).
 * Every table is a Delta table.
 */
public final class LakeLayout {

  /** The layers of the lake, in data-flow order. */
  public enum Layer {
    BRONZE, SILVER, QUARANTINE, GOLD;

    public String folder() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final String root;
  /** Gold tables that live elsewhere in this view of the lake: mart → folder (see {@link #withGoldElsewhere}). */
  private final Map<String, String> goldElsewhere;

  public LakeLayout(String root) {
    this(root, Map.of());
  }

  private LakeLayout(String root, Map<String, String> goldElsewhere) {
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    this.goldElsewhere = Map.copyOf(goldElsewhere);
  }

  public LakeLayout(Path root) {
    this(root.toAbsolutePath().toString());
  }

  public String root() {
    return root;
  }

  public String path(Layer layer, String table) {
    if (layer == Layer.GOLD && goldElsewhere.containsKey(table)) {
      return goldElsewhere.get(table);
    }
    return root + "/" + layer.folder() + "/" + table;
  }

  /**
   * This lake, except that the gold tables of {@code marts} are read and written under {@code folder}
   * ({@code <folder>/<mart>}): how a backfill computes a mart as it stood on an earlier date, for that
   * date's reports, without touching the lake's own gold table.
   */
  public LakeLayout withGoldElsewhere(String folder, Collection<String> marts) {
    String base = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
    Map<String, String> elsewhere = new HashMap<>(goldElsewhere);
    marts.forEach(m -> elsewhere.put(m, base + "/" + m));
    return new LakeLayout(root, elsewhere);
  }

  public String bronze(String table) {
    return path(Layer.BRONZE, table);
  }

  public String silver(String table) {
    return path(Layer.SILVER, table);
  }

  public String gold(String mart) {
    return path(Layer.GOLD, mart);
  }

  /**
   * Resolves a name as users type it: {@code silver.payments}, {@code gold.revenue_daily}, or a bare
   * mart name such as {@code revenue_daily} (gold is the default layer).
   */
  public String resolve(String qualifiedName) {
    int dot = qualifiedName.indexOf('.');
    if (dot < 0) {
      return gold(qualifiedName);
    }
    String layer = qualifiedName.substring(0, dot);
    String table = qualifiedName.substring(dot + 1);
    for (Layer l : Layer.values()) {
      if (l.folder().equals(layer)) {
        return path(l, table);
      }
    }
    throw new IllegalArgumentException(
        "unknown lake layer '" + layer + "' in '" + qualifiedName + "' (expected bronze, silver, quarantine or gold)");
  }
}
