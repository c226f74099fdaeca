-- node-reachability judges a node by what its peers met when they tried it. Each node's identity now says what its
-- own firewall does to the ports peers try on it (so a port it drops itself is told from one dropped between the
-- nodes), and its phase (refused is fine before kubeadm, not once the components should listen).
ALTER TABLE node_identity ADD COLUMN phase text;
ALTER TABLE node_identity ADD COLUMN own_firewall text[] NOT NULL DEFAULT '{}';

-- The latest outcome of each source node's attempt on each target node and port: an upload writes at most 64 rows
-- (its plan), whatever the cluster's size. Only attempts on an address a node of the same cluster reported as its own
-- node IP are kept; target_ip is that address, so an outcome for a node's old address no longer counts once it moves.
CREATE TABLE reachability_outcome (
    source_node_id bigint      NOT NULL REFERENCES node (id) ON DELETE CASCADE,
    target_node_id bigint      NOT NULL REFERENCES node (id) ON DELETE CASCADE,
    port           integer     NOT NULL CHECK (port BETWEEN 1 AND 65535),
    cluster_id     bigint      NOT NULL REFERENCES cluster (id) ON DELETE CASCADE,
    target_ip      text        NOT NULL,
    outcome        text        NOT NULL CHECK (outcome IN ('connected', 'refused', 'timeout', 'unreachable', 'error')),
    seconds        real,
    report_id      bigint      NOT NULL, -- the source's report that said it (no reference: retention may delete it)
    observed_at    timestamptz NOT NULL,
    PRIMARY KEY (source_node_id, target_node_id, port)
) WITH (fillfactor = 80);
-- Who tried a node (its node-reachability finding) and what a cluster's matrix aggregates. Each run rewrites its
-- rows with a new report id, time and seconds, none of them indexed: the updates stay HOT (as V7 keeps node's).
CREATE INDEX reachability_outcome_target_idx ON reachability_outcome (target_node_id, port);
CREATE INDEX reachability_outcome_cluster_idx ON reachability_outcome (cluster_id);
