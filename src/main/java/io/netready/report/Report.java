package io.netready.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One run of the probe on one node, as received. Its sections' bytes live in {@link SectionContent}. */
@Entity
public class Report extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "cluster_id", nullable = false)
    public Long clusterId;

    @Column(name = "node_id", nullable = false)
    public Long nodeId;

    /** The id the probe made for this run; uploading it again finds this report. */
    @Column(name = "probe_report_id", nullable = false)
    public String probeReportId;

    @Column(name = "content_hash", nullable = false)
    public byte[] contentHash;

    @Column(nullable = false)
    public String format;

    @Column(name = "collected_at", nullable = false)
    public Instant collectedAt;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(name = "probe_version", nullable = false)
    public String probeVersion;

    @Column(name = "probe_uid")
    public Integer probeUid;

    @Column(nullable = false)
    public String role;

    @Column(nullable = false)
    public String phase;

    @Column(nullable = false)
    public String hostname;

    @Column(nullable = false)
    public String verdict;

    @Column(name = "size_bytes", nullable = false)
    public int sizeBytes;

    @Column(name = "source_address")
    public String sourceAddress;

    @Column(name = "token_id")
    public Long tokenId;

    @Column(name = "uploaded_by")
    public String uploadedBy;

    /** The node's clock against the portal's at a direct upload, in ms (positive: the node was behind); null if not measured. */
    @Column(name = "clock_offset_ms")
    public Long clockOffsetMs;

    @Column(name = "findings_hash")
    public byte[] findingsHash;

    /** "rule=status ..." of its findings, for the cluster page. */
    @Column
    public String statuses;

    /** Section name to the hex SHA-256 of its content. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, String> sections;

    public static List<Report> listForNode(long nodeId, int limit) {
        return find("nodeId = ?1 order by receivedAt desc, id desc", nodeId).range(0, limit - 1).list();
    }
}
