-- The operator's OLTP schema (DESIGN.md "Source model"), as ParkLake's demo and tests create it.
-- ParkLake only reads a real operator's database; this copy exists so that demo, tests and
-- evaluators have a faithful source. Enumerations are varchar, not CHECKed and fact tables carry no
-- foreign-key constraints: real operator databases contain such dirt, and the pipeline must
-- quarantine it rather than assume the source rejected it.

CREATE TABLE users (
    id           uuid PRIMARY KEY,
    email        varchar(255) NOT NULL,
    full_name    varchar(255),
    phone        varchar(32),
    role         varchar(32)  NOT NULL,
    is_verified  boolean      NOT NULL DEFAULT false,
    is_deleted   boolean      NOT NULL DEFAULT false,
    created_at   timestamptz  NOT NULL,
    updated_at   timestamptz  NOT NULL
);

CREATE TABLE vehicles (
    id            uuid PRIMARY KEY,
    user_id       uuid         NOT NULL,
    plate_number  varchar(16)  NOT NULL,
    vehicle_type  varchar(32)  NOT NULL,
    is_active     boolean      NOT NULL DEFAULT true,
    created_at    timestamptz  NOT NULL,
    updated_at    timestamptz  NOT NULL
);

CREATE TABLE facilities (
    id           uuid PRIMARY KEY,
    owner_id     uuid,
    name         varchar(255) NOT NULL,
    city         varchar(128) NOT NULL,
    timezone     varchar(64)  NOT NULL,
    currency     char(3)      NOT NULL DEFAULT 'EUR',
    latitude     numeric(9,6),
    longitude    numeric(9,6),
    total_spots  integer      NOT NULL,
    is_active    boolean      NOT NULL DEFAULT true,
    created_at   timestamptz  NOT NULL,
    updated_at   timestamptz  NOT NULL
);

CREATE TABLE zones (
    id           uuid PRIMARY KEY,
    facility_id  uuid         NOT NULL,
    name         varchar(128) NOT NULL,
    code         varchar(16)  NOT NULL,
    total_spots  integer      NOT NULL,
    created_at   timestamptz  NOT NULL,
    updated_at   timestamptz  NOT NULL
);

CREATE TABLE parking_spots (
    id              uuid PRIMARY KEY,
    zone_id         uuid         NOT NULL,
    spot_number     varchar(16)  NOT NULL,
    size            varchar(16)  NOT NULL,
    has_ev_charger  boolean      NOT NULL DEFAULT false,
    is_accessible   boolean      NOT NULL DEFAULT false,
    is_active       boolean      NOT NULL DEFAULT true,
    created_at      timestamptz  NOT NULL,
    updated_at      timestamptz  NOT NULL
);

CREATE TABLE pricing_rules (
    id            uuid PRIMARY KEY,
    facility_id   uuid         NOT NULL,
    strategy      varchar(32)  NOT NULL,
    config        jsonb        NOT NULL,
    priority      integer      NOT NULL DEFAULT 0,
    free_minutes  integer      NOT NULL DEFAULT 0,
    created_at    timestamptz  NOT NULL,
    updated_at    timestamptz  NOT NULL
);

CREATE TABLE subscriptions (
    id             uuid PRIMARY KEY,
    facility_id    uuid          NOT NULL,
    name           varchar(128)  NOT NULL,
    price          numeric(12,2) NOT NULL,
    duration_days  integer       NOT NULL,
    entry_count    integer,
    created_at     timestamptz   NOT NULL,
    updated_at     timestamptz   NOT NULL
);

CREATE TABLE user_subscriptions (
    id                 uuid PRIMARY KEY,
    user_id            uuid         NOT NULL,
    subscription_id    uuid         NOT NULL,
    activated_at       timestamptz  NOT NULL,
    expires_at         timestamptz  NOT NULL,
    entries_remaining  integer,
    created_at         timestamptz  NOT NULL,
    updated_at         timestamptz  NOT NULL
);

CREATE TABLE bookings (
    id               uuid PRIMARY KEY,
    user_id          uuid          NOT NULL,
    vehicle_id       uuid,
    spot_id          uuid,
    facility_id      uuid          NOT NULL,
    ticket_number    varchar(32)   NOT NULL,
    booking_type     varchar(16)   NOT NULL,
    status           varchar(16)   NOT NULL,
    entry_time       timestamptz   NOT NULL,
    expected_exit    timestamptz,
    actual_exit      timestamptz,
    estimated_price  numeric(12,2),
    final_price      numeric(12,2),
    payment_id       uuid,
    created_at       timestamptz   NOT NULL,
    updated_at       timestamptz   NOT NULL
);

CREATE TABLE payments (
    id                    uuid PRIMARY KEY,
    user_id               uuid,
    facility_id           uuid          NOT NULL,
    booking_id            uuid,
    violation_id          uuid,
    user_subscription_id  uuid,
    kind                  varchar(16)   NOT NULL,
    amount                numeric(12,2),
    currency              char(3)       NOT NULL,
    provider              varchar(16)   NOT NULL,
    status                varchar(16)   NOT NULL,
    provider_txn_id       varchar(64),
    paid_at               timestamptz,
    created_at            timestamptz   NOT NULL,
    updated_at            timestamptz   NOT NULL
);

CREATE TABLE violations (
    id              uuid PRIMARY KEY,
    user_id         uuid,
    vehicle_id      uuid,
    facility_id     uuid          NOT NULL,
    booking_id      uuid,
    violation_type  varchar(32)   NOT NULL,
    penalty_amount  numeric(12,2),
    status          varchar(16)   NOT NULL,
    violation_time  timestamptz   NOT NULL,
    resolved_at     timestamptz,
    created_at      timestamptz   NOT NULL,
    updated_at      timestamptz   NOT NULL
);

CREATE TABLE parking_events (
    id            bigint PRIMARY KEY,
    camera_id     varchar(32)   NOT NULL,
    facility_id   uuid          NOT NULL,
    zone_id       uuid,
    track_id      varchar(64)   NOT NULL,
    plate_number  varchar(16),
    vehicle_type  varchar(32),
    direction     varchar(8)    NOT NULL,
    confidence    numeric(4,3),
    event_time    timestamptz   NOT NULL,
    created_at    timestamptz   NOT NULL,
    UNIQUE (camera_id, track_id, direction, event_time)
);

CREATE TABLE audit_logs (
    id             uuid PRIMARY KEY,
    user_id        uuid,
    action         varchar(64)  NOT NULL,
    resource_type  varchar(64)  NOT NULL,
    resource_id    uuid,
    details        jsonb,
    created_at     timestamptz  NOT NULL
);
