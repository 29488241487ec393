-- The business dates each committed batch changed, and whether the marts have been refreshed for
-- them yet: by the hourly job's marts (a subset) and by the nightly's (all). A run that dies after a
-- batch commits but before its marts step leaves the batch unrefreshed, and the next run of either
-- job picks its dates up, so no mart partition is left stale by a crash.
ALTER TABLE extraction_batch
    ADD COLUMN affected_dates    date[]      NOT NULL DEFAULT '{}',
    ADD COLUMN marts_hourly_at   timestamptz,
    ADD COLUMN marts_nightly_at  timestamptz;

-- Batches committed before this migration were refreshed by the runs that committed them.
UPDATE extraction_batch SET marts_hourly_at = committed_at, marts_nightly_at = committed_at WHERE status = 'COMMITTED';

CREATE INDEX extraction_batch_marts_pending ON extraction_batch (batch_id)
    WHERE status = 'COMMITTED' AND (marts_hourly_at IS NULL OR marts_nightly_at IS NULL);
