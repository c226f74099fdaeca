-- The MTU rule compares a node's MTU with the cluster's most common one. Counting it over node_identity on every
-- upload read every node of the cluster (the per-upload time of a 5,000-node cluster was twice a 10-node one's):
-- the counts are kept here instead, moved by node_identity's own changes, so an upload reads a row per distinct MTU.
CREATE TABLE cluster_mtu_count (
    cluster_id bigint  NOT NULL REFERENCES cluster (id) ON DELETE CASCADE,
    mtu        integer NOT NULL,
    nodes      integer NOT NULL CHECK (nodes >= 0),
    PRIMARY KEY (cluster_id, mtu)
);

INSERT INTO cluster_mtu_count (cluster_id, mtu, nodes)
SELECT cluster_id, mtu, count(*) FROM node_identity WHERE mtu IS NOT NULL GROUP BY cluster_id, mtu;

CREATE FUNCTION cluster_mtu_count_move() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_mtu integer;
    new_mtu integer;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        old_mtu := OLD.mtu;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        new_mtu := NEW.mtu;
    END IF;
    -- The lower MTU's row first, whichever way a node moves: two nodes moving opposite ways cannot deadlock.
    IF old_mtu IS NOT NULL AND (new_mtu IS NULL OR old_mtu < new_mtu) THEN
        UPDATE cluster_mtu_count SET nodes = nodes - 1 WHERE cluster_id = OLD.cluster_id AND mtu = old_mtu;
        old_mtu := NULL;
    END IF;
    IF new_mtu IS NOT NULL THEN
        INSERT INTO cluster_mtu_count (cluster_id, mtu, nodes) VALUES (NEW.cluster_id, new_mtu, 1)
        ON CONFLICT (cluster_id, mtu) DO UPDATE SET nodes = cluster_mtu_count.nodes + 1;
    END IF;
    IF old_mtu IS NOT NULL THEN
        UPDATE cluster_mtu_count SET nodes = nodes - 1 WHERE cluster_id = OLD.cluster_id AND mtu = old_mtu;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER node_identity_mtu_inserted AFTER INSERT ON node_identity
    FOR EACH ROW EXECUTE FUNCTION cluster_mtu_count_move();
CREATE TRIGGER node_identity_mtu_moved AFTER UPDATE OF mtu, cluster_id ON node_identity
    FOR EACH ROW WHEN (OLD.mtu IS DISTINCT FROM NEW.mtu OR OLD.cluster_id IS DISTINCT FROM NEW.cluster_id)
    EXECUTE FUNCTION cluster_mtu_count_move();
CREATE TRIGGER node_identity_mtu_deleted AFTER DELETE ON node_identity
    FOR EACH ROW EXECUTE FUNCTION cluster_mtu_count_move();
