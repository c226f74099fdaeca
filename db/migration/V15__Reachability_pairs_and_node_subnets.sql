-- The cluster page's reachability matrix at thousands of nodes counts pairs by subnet, and the node x rule matrix
-- shows node-reachability for every node. Both used to aggregate every stored attempt (two per sampled pair, four per
-- control-plane pair) on each page view. Now each upload also keeps one row per pair it tried: the worst outcome of
-- the source's latest attempt on the target, and which ports failed or were refused. The pages read those rows, and
-- group nodes by a subnet the upload stores with the node's identity.

-- The network of the node's own NICs that holds its node IP, else the address alone (/32, /128); null without one.
ALTER TABLE node_identity ADD COLUMN subnet text;

DO $$
DECLARE
    i record;
BEGIN
    FOR i IN SELECT node_id, node_ip, networks FROM node_identity WHERE node_ip IS NOT NULL LOOP
        BEGIN
            UPDATE node_identity SET subnet = coalesce(
                    (SELECT n FROM unnest(i.networks) AS n WHERE i.node_ip::inet <<= n::inet LIMIT 1),
                    host(i.node_ip::inet) || CASE WHEN family(i.node_ip::inet) = 4 THEN '/32' ELSE '/128' END)
             WHERE node_id = i.node_id;
        EXCEPTION WHEN invalid_text_representation THEN
            UPDATE node_identity SET subnet = 'its address' WHERE node_id = i.node_id;
        END;
    END LOOP;
END $$;

-- One row per source and target node: the source's latest attempt on the target, over all the ports its plan named.
-- An upload writes at most one row per peer it tried (at most 64), and only on an address the target reported; the
-- target's upload from a new address deletes the rows on its old one, so the pages read them without a join on
-- addresses.
CREATE TABLE reachability_pair (
    source_node_id bigint      NOT NULL REFERENCES node (id) ON DELETE CASCADE,
    target_node_id bigint      NOT NULL REFERENCES node (id) ON DELETE CASCADE,
    cluster_id     bigint      NOT NULL REFERENCES cluster (id) ON DELETE CASCADE,
    target_ip      text        NOT NULL,
    worst          text        NOT NULL CHECK (worst IN ('connected', 'refused', 'error', 'unreachable', 'timeout')),
    failed_ports   integer[]   NOT NULL, -- timed out or unreachable
    refused_ports  integer[]   NOT NULL,
    observed_at    timestamptz NOT NULL,
    PRIMARY KEY (source_node_id, target_node_id)
) WITH (fillfactor = 80);
CREATE INDEX reachability_pair_cluster_idx ON reachability_pair (cluster_id);

INSERT INTO reachability_pair (source_node_id, target_node_id, cluster_id, target_ip, worst, failed_ports,
        refused_ports, observed_at)
SELECT source_node_id, target_node_id, min(cluster_id), min(target_ip),
       (ARRAY['connected', 'refused', 'error', 'unreachable', 'timeout'])[max(CASE outcome WHEN 'connected' THEN 1
            WHEN 'refused' THEN 2 WHEN 'error' THEN 3 WHEN 'unreachable' THEN 4 ELSE 5 END)],
       coalesce(array_agg(port ORDER BY port) FILTER (WHERE outcome IN ('timeout', 'unreachable')), '{}'),
       coalesce(array_agg(port ORDER BY port) FILTER (WHERE outcome = 'refused'), '{}'),
       max(observed_at)
  FROM reachability_outcome o
 WHERE EXISTS (SELECT 1 FROM node_identity t WHERE t.node_id = o.target_node_id AND t.node_ip = o.target_ip)
 GROUP BY source_node_id, target_node_id;
