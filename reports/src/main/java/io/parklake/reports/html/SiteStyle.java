package io.parklake.reports.html;

/**
 * The one stylesheet, inlined into every page: pages are mailed, opened from a file share or an S3
 * bucket, so nothing may be fetched (no web fonts, no CDN). System fonts, tabular figures, and a
 * print layout that keeps charts and table rows whole.
 */
final class SiteStyle {
  private SiteStyle() {}

  static final String CSS = """
      :root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --band: #f5f7fa; --accent: #4e79a7; }
      * { box-sizing: border-box; }
      html { -webkit-text-size-adjust: 100%; }
      body { margin: 0; color: var(--ink); background: #fff; line-height: 1.45;
        font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans",
          "Liberation Sans", "DejaVu Sans", sans-serif; }
      .page { max-width: 1080px; margin: 0 auto; padding: 28px 32px 48px; }
      nav { font-size: 13px; margin-bottom: 12px; }
      a { color: var(--accent); text-decoration: none; }
      a:hover, a:focus { text-decoration: underline; }
      h1 { font-size: 28px; line-height: 1.2; margin: 0 0 4px; letter-spacing: -0.01em; }
      h2 { font-size: 19px; margin: 36px 0 8px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
      .meta { color: var(--muted); font-size: 13px; margin: 0; }
      .intro { max-width: 70ch; margin: 0 0 12px; }
      .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 14px; margin: 24px 0 8px;
        padding: 0; list-style: none; }
      .card { border: 1px solid var(--line); border-top: 4px solid var(--accent); border-radius: 6px; padding: 12px 16px;
        background: #fff; }
      .card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; }
      .card .value { font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; margin-top: 2px;
        overflow-wrap: anywhere; }
      figure { margin: 16px 0 24px; }
      figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
      figcaption { color: var(--muted); font-size: 12px; margin-top: 6px; }
      .table-wrap { overflow-x: auto; margin: 12px 0 24px; }
      table { border-collapse: collapse; width: 100%; font-size: 14px; font-variant-numeric: tabular-nums; }
      caption { caption-side: top; text-align: left; font-weight: 600; padding: 0 0 8px; }
      th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
      thead th { background: var(--band); font-weight: 600; border-bottom: 2px solid #bcccdc; white-space: nowrap; }
      tbody tr:nth-child(even) { background: #fafbfc; }
      .num { text-align: right; white-space: nowrap; }
      tfoot td, tfoot th { font-weight: 700; border-top: 2px solid #9aa5b1; background: var(--band); }
      .report { margin: 0 0 28px; }
      .periods { list-style: none; margin: 8px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 8px; }
      .periods a { display: inline-block; border: 1px solid var(--line); border-radius: 4px; padding: 5px 10px;
        font-variant-numeric: tabular-nums; }
      .periods li:first-child a { border-color: var(--accent); font-weight: 600; }
      footer { margin-top: 40px; padding-top: 12px; border-top: 1px solid var(--line); color: var(--muted); font-size: 12px; }
      @media print {
        @page { margin: 14mm; }
        body { font-size: 11pt; }
        .page { max-width: none; padding: 0; }
        nav, .svg-link { display: none; }
        h2 { break-after: avoid; }
        .cards { grid-template-columns: repeat(4, 1fr); }
        .card, figure, tr { break-inside: avoid; }
        thead { display: table-header-group; }
        .table-wrap { overflow: visible; }
        figure img { border: none; }
        a { color: inherit; }
      }
      """;
}
