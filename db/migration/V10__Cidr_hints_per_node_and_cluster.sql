-- Where a cluster's settings leave the pod or Service CIDR empty, the rules infer it from what the nodes report: a
-- control plane's kube-controller-manager and kube-apiserver flags, flannel's network, per-node subnets. Each node's
-- hints are stored with its identity ("pod kube-controller-manager 10.244.0.0/16"); the cluster-wide ones ("pod ...",
-- "service ...") are counted here, moved by node_identity's own changes like cluster_mtu_count, with the first
-- hostname that reports each (in "C" order, as the portal orders them), so an upload reads a row per distinct hint
-- instead of every node of the cluster. No index on the new column: uploads that leave it unchanged stay HOT.
ALTER TABLE node_identity ADD COLUMN cidr_hints text[] NOT NULL DEFAULT '{}';

CREATE TABLE cluster_cidr_hint (
    cluster_id bigint  NOT NULL REFERENCES cluster (id) ON DELETE CASCADE,
    hint       text    NOT NULL,
    nodes      integer NOT NULL CHECK (nodes >= 0),
    hostname   text,
    PRIMARY KEY (cluster_id, hint)
);

CREATE FUNCTION cluster_cidr_hint_move() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    h text;
BEGIN
    -- Rows in hint order, whichever way a node moves: two uploads touching the same hints cannot deadlock.
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        FOR h IN SELECT DISTINCT x FROM unnest(OLD.cidr_hints) x WHERE x LIKE 'pod %' OR x LIKE 'service %' ORDER BY x LOOP
            -- The row already shows the node as it is now: the first hostname is found again among the others.
            UPDATE cluster_cidr_hint SET nodes = nodes - 1,
                   hostname = CASE WHEN hostname = OLD.hostname THEN
                       (SELECT min(i.hostname COLLATE "C") FROM node_identity i
                         WHERE i.cluster_id = OLD.cluster_id AND h = ANY (i.cidr_hints))
                       ELSE hostname END
             WHERE cluster_id = OLD.cluster_id AND hint = h;
            DELETE FROM cluster_cidr_hint WHERE cluster_id = OLD.cluster_id AND hint = h AND nodes = 0;
        END LOOP;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        FOR h IN SELECT DISTINCT x FROM unnest(NEW.cidr_hints) x WHERE x LIKE 'pod %' OR x LIKE 'service %' ORDER BY x LOOP
            INSERT INTO cluster_cidr_hint (cluster_id, hint, nodes, hostname) VALUES (NEW.cluster_id, h, 1, NEW.hostname)
            ON CONFLICT (cluster_id, hint) DO UPDATE SET nodes = cluster_cidr_hint.nodes + 1,
                hostname = LEAST(cluster_cidr_hint.hostname COLLATE "C", EXCLUDED.hostname COLLATE "C");
        END LOOP;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER node_identity_cidr_hints_inserted AFTER INSERT ON node_identity
    FOR EACH ROW WHEN (NEW.cidr_hints <> '{}') EXECUTE FUNCTION cluster_cidr_hint_move();
CREATE TRIGGER node_identity_cidr_hints_moved AFTER UPDATE OF cidr_hints, hostname, cluster_id ON node_identity
    FOR EACH ROW WHEN (OLD.cidr_hints IS DISTINCT FROM NEW.cidr_hints OR OLD.cluster_id IS DISTINCT FROM NEW.cluster_id
        OR (OLD.hostname IS DISTINCT FROM NEW.hostname AND (OLD.cidr_hints <> '{}' OR NEW.cidr_hints <> '{}')))
    EXECUTE FUNCTION cluster_cidr_hint_move();
CREATE TRIGGER node_identity_cidr_hints_deleted AFTER DELETE ON node_identity
    FOR EACH ROW WHEN (OLD.cidr_hints <> '{}') EXECUTE FUNCTION cluster_cidr_hint_move();
