-- Marts a run could not refresh: the ones that failed and the ones skipped because an input failed
-- (a failed mart upstream, or a source table whose extraction or reconciliation failed). Each row is
-- the work still owed: the business dates the mart should have been recomputed for, or a full
-- rebuild. `restart` of the run, or the next run of any job that refreshes the mart, does exactly
-- this work and deletes the row once the mart is written; until then the mart's gold table keeps the
-- rows of its last successful refresh.
CREATE TABLE mart_refresh_owed (
    mart        varchar(128) PRIMARY KEY,
    dates       date[]       NOT NULL DEFAULT '{}',
    rebuild     boolean      NOT NULL DEFAULT false,
    reason      text         NOT NULL,
    run_id      varchar(64)  NOT NULL,
    owed_since  timestamptz  NOT NULL DEFAULT now()
);
