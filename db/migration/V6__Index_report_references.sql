-- Retention deletes old reports, then the section contents and finding sets no remaining report uses: index every
-- reference to them, so each check (and each foreign-key action of a deleted report) is a lookup, not a table scan.
CREATE INDEX report_section_hashes_idx ON report USING gin ((jsonb_path_query_array(sections, '$.*')) jsonb_path_ops);
CREATE INDEX report_findings_hash_idx ON report (findings_hash);
CREATE INDEX node_last_report_idx ON node (last_report_id);
CREATE INDEX node_identity_report_idx ON node_identity (report_id);
