-- Cluster rules on upload look up only the nodes that share a value with the uploading one: index every value.
ALTER TABLE node_identity ADD COLUMN mac_values text[] NOT NULL DEFAULT '{}';
UPDATE node_identity SET mac_values = ARRAY(SELECT split_part(m, ' ', 2) FROM unnest(macs) m);
CREATE INDEX node_identity_mac_values_idx ON node_identity USING gin (mac_values);
CREATE INDEX node_identity_product_uuid_idx ON node_identity (cluster_id, product_uuid);
CREATE INDEX node_identity_mtu_idx ON node_identity (cluster_id, mtu);
