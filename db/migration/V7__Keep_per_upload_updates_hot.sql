-- Every upload moves node.last_report_id and node_identity.report_id. With an index on either column, those updates
-- cannot be HOT: each one added entries to every index of both tables (eight on node_identity, a GIN among them).
-- The indexes served only the foreign-key actions of reports deleted by retention, which never deletes a report a
-- node or an identity points at: those checks now scan the two tables once per deleted report, hourly, instead of
-- every upload paying for the indexes.
DROP INDEX node_last_report_idx;
DROP INDEX node_identity_report_idx;
