-- The portal's measurement of a node's clock at a direct upload by the probe: the receipt time minus the time the
-- probe finished collecting by the node's clock (collectedAt + durationMs), in milliseconds; positive when the node's
-- clock is behind. NULL where nothing was measured (spooled, retried and file uploads, older probes). Kept with the
-- report so that judging it again (clock-sync) gives the same answer.
ALTER TABLE report ADD COLUMN clock_offset_ms bigint;
