-- Indexes the operator's application has (seed 001) and the ones incremental extraction relies on.
CREATE INDEX bookings_updated_at_idx       ON bookings (updated_at);
CREATE INDEX bookings_entry_time_idx       ON bookings (entry_time);
CREATE INDEX bookings_facility_idx         ON bookings (facility_id);
CREATE INDEX payments_updated_at_idx       ON payments (updated_at);
CREATE INDEX payments_paid_at_idx          ON payments (paid_at);
CREATE INDEX violations_updated_at_idx     ON violations (updated_at);
CREATE INDEX parking_events_created_at_idx ON parking_events (created_at);
CREATE INDEX parking_events_event_time_idx ON parking_events (event_time);
CREATE INDEX audit_logs_created_at_idx     ON audit_logs (created_at);
