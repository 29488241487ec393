-- One row per extraction batch of one source table: the change window (low, high] it reads, the run
-- that opened it and whether its lake commits are done. A PENDING batch is resumed with the same
-- window and id by the next run, so a crash between the lake commit and the watermark update never
-- duplicates or skips rows. Committing a batch and moving the table's watermark is one transaction.
CREATE TABLE extraction_batch (
    batch_id          bigserial    PRIMARY KEY,
    source_table      varchar(64)  NOT NULL,
    low_watermark     timestamptz,
    high_watermark    timestamptz  NOT NULL,
    run_id            varchar(64)  NOT NULL,
    status            varchar(16)  NOT NULL,
    opened_at         timestamptz  NOT NULL DEFAULT now(),
    committed_at      timestamptz,
    rows_read         bigint,
    rows_written      bigint,
    rows_quarantined  bigint,
    rows_collapsed    bigint
);
CREATE UNIQUE INDEX extraction_batch_one_pending ON extraction_batch (source_table) WHERE status = 'PENDING';

-- Deletions found by key reconciliation, for audit (the lake also keeps a DELETE tombstone in bronze).
CREATE TABLE extraction_deletion (
    source_table  varchar(64)  NOT NULL,
    key           varchar(64)  NOT NULL,
    run_id        varchar(64)  NOT NULL,
    detected_at   timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (source_table, key, run_id)
);
