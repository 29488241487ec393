-- How far each source table has been extracted. A watermark moves only after the lake commit that
-- carried the rows succeeded (issue 3); the run that moved it is recorded for status and audit.
CREATE TABLE extraction_watermark (
    source_table     varchar(64)  PRIMARY KEY,
    high_watermark   timestamptz  NOT NULL,
    last_run_id      varchar(64)  NOT NULL,
    rows_extracted   bigint       NOT NULL DEFAULT 0,
    updated_at       timestamptz  NOT NULL DEFAULT now()
);
