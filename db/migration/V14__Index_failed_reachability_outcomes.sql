-- The cluster page lists the paths to open between subnets: the attempts that timed out or were unreachable. Most
-- attempts connect, so only the failed ones are indexed; the matrix's list reads them without scanning the rest.
CREATE INDEX reachability_outcome_failed_idx ON reachability_outcome (cluster_id, target_node_id)
    WHERE outcome IN ('timeout', 'unreachable');
