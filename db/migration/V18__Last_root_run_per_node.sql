-- Each node's latest run by collection time made as root (probe uid 0), beside its latest run of any kind: a later
-- non-root run is still the node's current report, and its pages say what the last root run showed for the rules the
-- non-root run could not check. Set by the upload's own UPDATE of the node row (one more column of the same row, not
-- indexed, so the update stays HOT); no foreign key, as for no other per-upload pointer, and retention keeps the
-- report it names.
ALTER TABLE node ADD COLUMN last_root_report_id bigint;

UPDATE node n SET last_root_report_id = (SELECT r.id FROM report r WHERE r.node_id = n.id AND r.probe_uid = 0
    ORDER BY r.collected_at DESC, r.id DESC LIMIT 1);
