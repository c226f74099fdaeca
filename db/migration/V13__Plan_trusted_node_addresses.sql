-- A reachability plan makes other nodes connect to a node's address, and that address is only the node's own word.
-- It is planned only where the portal can vouch for it: the node uploaded from that very address (address_confirmed,
-- decided by each upload of the node; kept while its node IP stays the same), or it lies in one of the networks the
-- cluster's admin declared its nodes live in (node_networks, comma-separated CIDRs), for nodes behind NAT or a proxy.
ALTER TABLE node_identity ADD COLUMN address_confirmed boolean NOT NULL DEFAULT false;
ALTER TABLE cluster ADD COLUMN node_networks text;
