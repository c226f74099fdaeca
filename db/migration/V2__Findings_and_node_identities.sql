-- Readiness rules: the cluster's routing mode, the findings of each report, and each node's identity facts.

ALTER TABLE cluster ADD COLUMN routing_mode text NOT NULL DEFAULT 'unknown'
    CHECK (routing_mode IN ('unknown', 'routed', 'overlay'));

-- A report's findings (node and cluster rules as of its upload), stored once per distinct set: a node whose state
-- does not change uploads the same set again and again.
CREATE TABLE finding_set (
    hash            bytea PRIMARY KEY,
    catalog_version text  NOT NULL,
    verdict         text  NOT NULL,
    findings        jsonb NOT NULL
);

ALTER TABLE report ADD COLUMN findings_hash bytea REFERENCES finding_set (hash);

-- What cluster rules compare across nodes, from each node's latest report; small and indexed so that evaluating a
-- cluster never re-reads every node's report.
CREATE TABLE node_identity (
    node_id      bigint PRIMARY KEY REFERENCES node (id) ON DELETE CASCADE,
    cluster_id   bigint  NOT NULL REFERENCES cluster (id) ON DELETE CASCADE,
    report_id    bigint  NOT NULL REFERENCES report (id) ON DELETE CASCADE,
    collected_at timestamptz NOT NULL,
    hostname     text    NOT NULL,
    machine_id   text,
    product_uuid text,
    node_ip      text,
    mtu          integer,
    macs         text[]  NOT NULL,
    networks     text[]  NOT NULL,
    pod_subnets  text[]  NOT NULL,
    routes       text[]  NOT NULL
);
CREATE INDEX node_identity_cluster_idx ON node_identity (cluster_id);
CREATE INDEX node_identity_hostname_idx ON node_identity (cluster_id, lower(hostname));
CREATE INDEX node_identity_machine_id_idx ON node_identity (cluster_id, machine_id);
CREATE INDEX node_identity_node_ip_idx ON node_identity (cluster_id, node_ip);
