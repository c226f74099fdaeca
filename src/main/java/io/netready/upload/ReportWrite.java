package io.netready.upload;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import io.netready.audit.AuditAction;
import io.netready.audit.AuditLog;
import io.netready.facts.ReachabilityAttempt;
import io.netready.jdbc.NamedSql;
import io.netready.readiness.NodeIdentityStore;
import io.netready.readiness.ReadinessService.NewReportJudgement;
import io.netready.reportformat.ReportDocument;
import io.netready.rules.NodeIdentity;
import io.netready.rules.catalog.RuleCatalog;

/**
 * An upload's last round trip, as one statement that this object builds and binds: the finding set (unless an equal
 * one is stored), the report row with its verdict, the node pointed at it if it is the node's latest by collection
 * time (uploads may arrive out of order) and, for a run as root, at it as its latest root run, the node's identity for the cluster rules, the outcomes of its reachability
 * attempts on the cluster's nodes (at most 64) with one summary row per pair tried (and the summaries of peers' attempts
 * on the node's old address dropped when it moves), and the audit record.
 *
 * <p>A run that measured reachability ({@code measured}: its report has the section, maybe with no attempt) replaces
 * what the node's earlier runs tried: its attempts on targets or ports this run did not try stop counting. Plans rotate
 * through the workers, so keeping every pair ever tried would grow towards N x N rows (25 million at 5000 nodes) and
 * keep judging a target by attempts hours or days old; this way a cluster holds at most one plan's worth per node
 * (every control plane and {@code workers-per-run} workers), and a fixed path shows as fixed after one round of runs.
 * A run without the section (an older probe, a report made without a plan) leaves the node's last attempts as they are.
 *
 * <p>An attempt counts on a node only where the portal vouches for that node's address as a plan does (it uploaded
 * from it, or it lies in the cluster's node networks, {@code inNodeNetworks} per attempt): a plan sends nobody to an
 * address it cannot vouch for, so a node that reports another node's address as its own, or one nobody has, is
 * credited with no one's attempts.
 */
record ReportWrite(long reportId, long clusterId, String clusterName, long nodeId, ReportDocument document,
        byte[] contentHash, Instant receivedAt, int sizeBytes, Origin origin, Long clockOffsetMs, String sectionsJson,
        NewReportJudgement judged, boolean measured, List<ReachabilityAttempt> attempts, List<Boolean> inNodeNetworks) {

    private static final NamedSql SQL = NamedSql.parse("""
            WITH finding_set_stored AS (
                INSERT INTO finding_set (hash, catalog_version, verdict, findings)
                SELECT :findings_hash, :catalog_version, :findings_verdict, CAST(:findings AS jsonb)
                 WHERE NOT EXISTS (SELECT 1 FROM finding_set WHERE hash = :findings_hash)
                ON CONFLICT (hash) DO NOTHING
            ), inserted AS (
                INSERT INTO report (id, cluster_id, node_id, probe_report_id, content_hash, format, collected_at,
                    received_at, probe_version, probe_uid, role, phase, hostname, verdict, findings_hash, statuses,
                    size_bytes, source_address, token_id, uploaded_by, sections, clock_offset_ms)
                VALUES (:report, :cluster, :node, :probe_report_id, :content_hash, :format, :collected_at, :received_at,
                    :probe_version, :probe_uid, :role, :phase, :hostname, :verdict, :findings_hash, :statuses,
                    :size_bytes, :address, :token, :uploaded_by, CAST(:sections AS jsonb), :clock_offset_ms)
                ON CONFLICT (cluster_id, probe_report_id) DO NOTHING
                RETURNING id, node_id, collected_at, probe_uid
            ), newer AS (
                SELECT inserted.id, inserted.node_id,
                    coalesce((SELECT collected_at FROM report WHERE id = n.last_report_id) <= inserted.collected_at,
                        true) AS latest,
                    inserted.probe_uid = 0 AND coalesce((SELECT collected_at FROM report WHERE id = n.last_root_report_id)
                        <= inserted.collected_at, true) AS latest_root
                  FROM inserted JOIN node n ON n.id = inserted.node_id
            ), latest AS (
                UPDATE node SET last_report_id = CASE WHEN newer.latest THEN newer.id ELSE node.last_report_id END,
                    last_root_report_id = CASE WHEN newer.latest_root THEN newer.id ELSE node.last_root_report_id END
                  FROM newer
                 WHERE node.id = newer.node_id AND (newer.latest OR newer.latest_root)
            ), identity AS (
                INSERT INTO node_identity (node_id, cluster_id, report_id, collected_at, hostname, machine_id, product_uuid,
                    node_ip, mtu, macs, networks, pod_subnets, routes, mac_values, cidr_hints, phase, own_firewall,
                    address_confirmed, subnet, hostname_since, machine_id_since, product_uuid_since, node_ip_since, mac_since)
                SELECT :node::bigint, :cluster::bigint, :report::bigint, :collected_at::timestamptz,
                    :identity_hostname::text, :identity_machine_id::text, :identity_product_uuid::text, :node_ip::text,
                    :mtu::integer, :macs::text[], :networks::text[], :pod_subnets::text[], :routes::text[],
                    :mac_values::text[], :cidr_hints::text[], :phase::text, :own_firewall::text[], :address_confirmed::boolean,
                    :subnet::text, :received_at::timestamptz, :received_at::timestamptz, :received_at::timestamptz,
                    :received_at::timestamptz,
                    array_fill(:received_at::timestamptz, ARRAY[cardinality(:mac_values::text[])])
                  FROM inserted
                ON CONFLICT (node_id) DO UPDATE SET report_id = EXCLUDED.report_id, collected_at = EXCLUDED.collected_at,
                    hostname = EXCLUDED.hostname, machine_id = EXCLUDED.machine_id, product_uuid = EXCLUDED.product_uuid,
                    node_ip = EXCLUDED.node_ip, mtu = EXCLUDED.mtu, macs = EXCLUDED.macs, networks = EXCLUDED.networks,
                    pod_subnets = EXCLUDED.pod_subnets, routes = EXCLUDED.routes, mac_values = EXCLUDED.mac_values,
                    cidr_hints = EXCLUDED.cidr_hints, phase = EXCLUDED.phase, own_firewall = EXCLUDED.own_firewall,
                    address_confirmed = EXCLUDED.address_confirmed
                        OR (node_identity.address_confirmed AND node_identity.node_ip = EXCLUDED.node_ip),
                    subnet = EXCLUDED.subnet,
                """ + NodeIdentityStore.KEEP_FIRST_REPORTED + """
                WHERE node_identity.collected_at <= EXCLUDED.collected_at
            ), tried AS (
                SELECT t.node_id, a.ip, a.port::integer AS port, a.outcome, a.seconds::real AS seconds
                  FROM inserted, unnest(:reach_ips::text[], :reach_ports::text[], :reach_outcomes::text[],
                    :reach_seconds::text[], :reach_in_networks::text[]) AS a (ip, port, outcome, seconds, in_networks)
                  JOIN node_identity t ON t.cluster_id = :cluster::bigint AND t.node_ip = a.ip AND t.node_id <> :node::bigint
                   AND (t.address_confirmed OR a.in_networks::boolean)
                 WHERE NOT EXISTS (SELECT 1 FROM reachability_pair p WHERE p.source_node_id = :node::bigint
                    AND p.target_node_id = t.node_id AND p.observed_at > :collected_at::timestamptz)
            ), reached AS (
                INSERT INTO reachability_outcome (source_node_id, target_node_id, port, cluster_id, target_ip, outcome,
                    seconds, report_id, observed_at)
                SELECT :node::bigint, node_id, port, :cluster::bigint, ip, outcome, seconds, :report::bigint,
                    :collected_at::timestamptz
                  FROM tried
                ON CONFLICT (source_node_id, target_node_id, port) DO UPDATE SET target_ip = EXCLUDED.target_ip,
                    outcome = EXCLUDED.outcome, seconds = EXCLUDED.seconds, report_id = EXCLUDED.report_id,
                    observed_at = EXCLUDED.observed_at
                WHERE reachability_outcome.observed_at <= EXCLUDED.observed_at
            ), paired AS (
                INSERT INTO reachability_pair (source_node_id, target_node_id, cluster_id, target_ip, worst, failed_ports,
                    refused_ports, observed_at)
                SELECT :node::bigint, node_id, :cluster::bigint, min(ip),
                    (ARRAY['connected', 'refused', 'error', 'unreachable', 'timeout'])[max(CASE outcome
                        WHEN 'connected' THEN 1 WHEN 'refused' THEN 2 WHEN 'error' THEN 3 WHEN 'unreachable' THEN 4
                        ELSE 5 END)],
                    coalesce(array_agg(port ORDER BY port) FILTER (WHERE outcome IN ('timeout', 'unreachable')), '{}'),
                    coalesce(array_agg(port ORDER BY port) FILTER (WHERE outcome = 'refused'), '{}'),
                    :collected_at::timestamptz
                  FROM tried GROUP BY node_id
                ON CONFLICT (source_node_id, target_node_id) DO UPDATE SET target_ip = EXCLUDED.target_ip,
                    worst = EXCLUDED.worst, failed_ports = EXCLUDED.failed_ports, refused_ports = EXCLUDED.refused_ports,
                    observed_at = EXCLUDED.observed_at
                WHERE reachability_pair.observed_at <= EXCLUDED.observed_at
            ), moved AS (
                DELETE FROM reachability_pair p
                 WHERE p.target_node_id = :node::bigint AND p.target_ip IS DISTINCT FROM :node_ip::text
                   AND EXISTS (SELECT 1 FROM inserted)
                   AND NOT EXISTS (SELECT 1 FROM node_identity i WHERE i.node_id = :node::bigint
                        AND i.collected_at > :collected_at::timestamptz)
            ), replaced AS (
                DELETE FROM reachability_outcome o
                 WHERE o.source_node_id = :node::bigint AND o.observed_at < :collected_at::timestamptz
                   AND :measured::boolean AND EXISTS (SELECT 1 FROM inserted)
                   AND (o.target_node_id, o.port) NOT IN (SELECT node_id, port FROM tried)
            ), retired AS (
                DELETE FROM reachability_pair p
                 WHERE p.source_node_id = :node::bigint AND p.observed_at < :collected_at::timestamptz
                   AND :measured::boolean AND EXISTS (SELECT 1 FROM inserted)
                   AND p.target_node_id NOT IN (SELECT node_id FROM tried)
            ), audited AS (
                INSERT INTO audit_event (actor, action, cluster_id, cluster_name, target, detail, address)
                SELECT :actor::text, :action::text, :cluster::bigint, :cluster_name::text, :hostname::text,
                    :audit_detail::text, :address::text
                  FROM inserted
            )
            SELECT count(*) FROM inserted""");

    /** Runs the statement; false when the same report was stored meanwhile (then at most the finding set was written). */
    boolean run(Connection connection) throws SQLException {
        NodeIdentity identity = judged.identity();
        String verdict = judged.judgement().verdict().word();
        try (NamedSql.Bound write = SQL.prepare(connection)) {
            write.set("findings_hash", judged.findingsHash()).set("catalog_version", RuleCatalog.VERSION)
                    .set("findings_verdict", judged.findingsVerdict().word()).set("findings", judged.findingsJson())
                    .set("report", reportId).set("cluster", clusterId).set("node", nodeId)
                    .set("probe_report_id", document.reportId()).set("content_hash", contentHash)
                    .set("format", document.format()).set("collected_at", document.collectedAt())
                    .set("received_at", receivedAt).set("probe_version", document.probeVersion())
                    .set("probe_uid", document.probeUid()).set("role", document.role().word()).set("phase", document.phase().word())
                    .set("hostname", document.hostname()).set("verdict", verdict).set("statuses", judged.statuses())
                    .set("size_bytes", sizeBytes).set("address", origin.address()).set("token", origin.tokenId())
                    .set("uploaded_by", origin.user()).set("sections", sectionsJson).set("clock_offset_ms", clockOffsetMs)
                    .set("identity_hostname", identity.hostname()).set("identity_machine_id", identity.machineId())
                    .set("identity_product_uuid", identity.productUuid()).set("node_ip", identity.nodeIp())
                    .set("mtu", identity.mtu()).setTexts("macs", identity.macs()).setTexts("networks", identity.networks())
                    .setTexts("pod_subnets", identity.podSubnets()).setTexts("routes", identity.routes())
                    .setTexts("mac_values", identity.macValues()).setTexts("cidr_hints", identity.cidrHints())
                    .setTexts("own_firewall", identity.ownFirewall())
                    .set("address_confirmed", origin.uploadedFrom(identity.nodeIp())).set("subnet", identity.subnet())
                    .set("measured", measured).setTexts("reach_ips", attempts.stream().map(ReachabilityAttempt::address).toList())
                    .setTexts("reach_ports", attempts.stream().map(a -> String.valueOf(a.port())).toList())
                    .setTexts("reach_outcomes", attempts.stream().map(a -> a.outcome().word()).toList())
                    .setTexts("reach_seconds", attempts.stream().map(a -> a.seconds() == null ? null : a.seconds().toString()).toList())
                    .setTexts("reach_in_networks", inNodeNetworks.stream().map(String::valueOf).toList())
                    .set("actor", origin.actor()).set("action", AuditAction.UPLOAD).set("cluster_name", clusterName)
                    .set("audit_detail", AuditLog.abbreviate("report " + reportId + ": " + verdict + " ("
                            + document.role() + ", " + document.phase() + ")"));
            try (ResultSet row = write.statement().executeQuery()) {
                row.next();
                return row.getLong(1) == 1;
            }
        }
    }
}
