-- The reachability plan samples a cluster's workers k at a time, each node's plan going on from where its last one
-- ended, so that successive runs cover every pair. The index lets a plan read the k workers after its cursor (and the
-- control planes) without touching the rest of the cluster; role never changes on a node's uploads, so the per-upload
-- updates of node stay HOT.
CREATE INDEX node_cluster_role_idx ON node (cluster_id, role, id);

-- Where the next plan of a node (by its hostname, known or not yet reported) starts among the cluster's workers.
CREATE TABLE plan_cursor (
    cluster_id    bigint      NOT NULL REFERENCES cluster (id) ON DELETE CASCADE,
    hostname      text        NOT NULL,
    after_node_id bigint      NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (cluster_id, hostname)
);
