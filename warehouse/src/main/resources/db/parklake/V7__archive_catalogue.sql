-- The archive catalogue: what went to cold storage, where, with which hashes, and who looked at it.
-- A unit is one table x one month (by the date that ages under the table's policy); a month whose rows
-- became eligible after its first unit was written gets a further part.

CREATE TABLE archive_unit (
    unit_id                  varchar(80)   PRIMARY KEY,           -- payments/2019-03/1
    chain_seq                bigint        NOT NULL UNIQUE,       -- position in the manifest chain, from 1
    table_name               varchar(64)   NOT NULL,
    month                    date          NOT NULL,              -- first day of the month
    part                     integer       NOT NULL,
    status                   varchar(20)   NOT NULL,              -- WRITTEN, VERIFIED, PURGED, SOURCE_PURGED
    row_count                bigint        NOT NULL,              -- current rows (from silver)
    version_count            bigint        NOT NULL,              -- every version of those keys (from bronze)
    money                    jsonb         NOT NULL,              -- {"amount": "1234.50"}: sums of the current rows
    key_min                  text,
    key_max                  text,
    storage_class            varchar(32)   NOT NULL,
    retain_until             timestamptz,
    manifest_key             text          NOT NULL,
    manifest_sha256          char(64)      NOT NULL,
    previous_manifest_sha256 char(64),
    run_id                   varchar(64)   NOT NULL,
    written_at               timestamptz   NOT NULL DEFAULT now(),
    verified_at              timestamptz,
    purged_at                timestamptz,
    source_purged_at         timestamptz,
    last_error               text,
    UNIQUE (table_name, month, part)
);

CREATE TABLE archive_object (
    unit_id    varchar(80)  NOT NULL REFERENCES archive_unit (unit_id),
    name       varchar(64)  NOT NULL,     -- current.parquet, versions.parquet, current.csv
    object_key text         NOT NULL,
    sha256     char(64)     NOT NULL,
    bytes      bigint       NOT NULL,
    row_count  bigint       NOT NULL,
    PRIMARY KEY (unit_id, name)
);

-- Every archived row once, so that a search never opens an archive.
CREATE TABLE archive_row (
    table_name    varchar(64)   NOT NULL,
    row_key       text          NOT NULL,
    unit_id       varchar(80)   NOT NULL REFERENCES archive_unit (unit_id),
    business_date date,
    change_time   timestamptz,            -- the archived version's updated_at (created_at where none)
    user_id       text,
    booking_id    text,
    plate_number  text,
    money         numeric(14, 2),         -- the table's money column, for reconciliation
    source_purged boolean       NOT NULL DEFAULT false,
    kept_by_hold  boolean       NOT NULL DEFAULT false,   -- left in the lake (and source) by a legal hold
    PRIMARY KEY (table_name, row_key, unit_id)
);
CREATE INDEX archive_row_user ON archive_row (table_name, user_id);
CREATE INDEX archive_row_booking ON archive_row (table_name, booking_id);
CREATE INDEX archive_row_plate ON archive_row (table_name, plate_number);
CREATE INDEX archive_row_unit ON archive_row (unit_id);

-- Legal holds: rows matching an active hold are archived but never purged.
CREATE TABLE archive_hold (
    hold_id        bigserial     PRIMARY KEY,
    table_name     varchar(64)   NOT NULL,
    user_id        text,
    row_key        text,
    reason         text          NOT NULL,
    placed_by      text          NOT NULL,
    placed_at      timestamptz   NOT NULL DEFAULT now(),
    released_by    text,
    released_at    timestamptz,
    release_reason text,
    CHECK (user_id IS NOT NULL OR row_key IS NOT NULL)
);

-- Every search, retrieval, verification, hold and release, hash-chained: entry_sha256 covers the
-- entry's fields and the previous entry's hash, so an edited or deleted entry breaks the chain.
CREATE TABLE archive_access_log (
    seq             bigserial     PRIMARY KEY,
    at              timestamptz   NOT NULL,
    principal       text          NOT NULL,
    action          varchar(20)   NOT NULL,
    table_name      varchar(64),
    criteria        text          NOT NULL,
    reason          text,
    result          text          NOT NULL,
    hashes          text          NOT NULL,
    previous_sha256 char(64),
    entry_sha256    char(64)      NOT NULL
);
