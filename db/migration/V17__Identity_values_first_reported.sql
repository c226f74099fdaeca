-- Identity collisions (issue 15): of two nodes that share a hostname, machine-id, product_uuid, node IP or MAC, the
-- one that reported the value first keeps it and only the newcomer is flagged. Each node's identity keeps since when
-- (the portal's receive time) it has reported each value; an upload with the same value keeps the time, a changed one
-- starts anew. mac_since holds one time per mac_values entry, in the same order.
ALTER TABLE node_identity
    ADD COLUMN hostname_since     timestamptz,
    ADD COLUMN machine_id_since   timestamptz,
    ADD COLUMN product_uuid_since timestamptz,
    ADD COLUMN node_ip_since      timestamptz,
    ADD COLUMN mac_since          timestamptz[] NOT NULL DEFAULT '{}';

-- Nodes stored before: each value counts from the node's first upload.
UPDATE node_identity i
   SET hostname_since = n.first_seen, machine_id_since = n.first_seen, product_uuid_since = n.first_seen,
       node_ip_since = n.first_seen, mac_since = array_fill(n.first_seen, ARRAY[cardinality(i.mac_values)])
  FROM node n
 WHERE n.id = i.node_id;
