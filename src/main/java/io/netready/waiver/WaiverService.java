package io.netready.waiver;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.netready.api.ProblemException;
import io.netready.audit.AuditAction;
import io.netready.audit.AuditLog;
import io.netready.cluster.Cluster;
import io.netready.events.WaiversChanged;
import io.netready.node.Node;
import io.netready.rules.catalog.RuleCatalog;
import io.netready.security.CurrentUser;

/**
 * Accepting findings: waivers with a reason and an expiry, audited. Each change is announced ({@link WaiversChanged}) in
 * its transaction; readiness applies the waivers in force when it judges.
 */
@ApplicationScoped
public class WaiverService {

    static final int MAX_DAYS = 366;

    @Inject
    CurrentUser user;

    @Inject
    AuditLog audit;

    @Inject
    RuleCatalog catalog;

    @Inject
    Event<WaiversChanged> changes;

    /** What an admin asks for: a rule, for one node or the whole cluster, why, and until when (a date, UTC). */
    public record NewWaiver(String rule, Long nodeId, boolean wholeCluster, String reason, String expires) {
    }

    @Transactional
    public Waiver create(Cluster cluster, NewWaiver request) {
        user.requireAdmin();
        if (request.rule() == null || catalog.find(request.rule()).isEmpty()) {
            throw ProblemException.unprocessable("rule must be one of the catalog's rule ids");
        }
        String reason = request.reason() == null ? "" : request.reason().strip();
        if (reason.length() < 3 || reason.length() > 1000) {
            throw ProblemException.unprocessable("reason must say why, in 3 to 1000 characters");
        }
        Instant expiresAt;
        try {
            expiresAt = WaiverExpiry.lapsesAfter(LocalDate.parse(request.expires() == null ? "" : request.expires().strip()));
        } catch (DateTimeParseException e) {
            throw ProblemException.unprocessable("expires must be a date such as 2026-12-31");
        }
        Instant now = Instant.now();
        if (!expiresAt.isAfter(now) || expiresAt.isAfter(now.plus(java.time.Duration.ofDays(MAX_DAYS)))) {
            throw ProblemException.unprocessable("expires must be a date from today up to " + MAX_DAYS + " days ahead");
        }
        Long nodeId = null;
        String target = "all nodes";
        if (!request.wholeCluster()) {
            Node node = request.nodeId() == null ? null : Node.findById(request.nodeId());
            if (node == null || !node.clusterId.equals(cluster.id)) {
                throw ProblemException.unprocessable("nodeId must be a node of cluster " + cluster.name);
            }
            nodeId = node.id;
            target = node.hostname;
        }
        Waiver waiver = new Waiver();
        waiver.clusterId = cluster.id;
        waiver.nodeId = nodeId;
        waiver.rule = request.rule();
        waiver.reason = reason;
        waiver.expiresAt = expiresAt;
        waiver.createdAt = now;
        waiver.createdBy = user.name();
        waiver.persist();
        audit.record(user.name(), AuditAction.WAIVER_CREATE, cluster.id, cluster.name, target,
                waiver.rule + " " + WaiverExpiry.until(waiver.expiresAt) + ": " + reason);
        waiver.flush();
        changes.fire(new WaiversChanged(cluster.id, nodeId));
        return waiver;
    }

    @Transactional
    public Waiver revoke(Cluster cluster, long id) {
        user.requireAdmin();
        Waiver waiver = Waiver.<Waiver> findByIdOptional(id).filter(w -> w.clusterId.equals(cluster.id))
                .orElseThrow(() -> ProblemException.notFound("Cluster '" + cluster.name + "' has no waiver " + id + "."));
        if (waiver.revokedAt == null) {
            waiver.revokedAt = Instant.now();
            waiver.revokedBy = user.name();
            audit.record(user.name(), AuditAction.WAIVER_REVOKE, cluster.id, cluster.name, waiver.nodeId == null ? "all nodes" : "node " + waiver.nodeId,
                    waiver.rule + " (waiver " + waiver.id + ")");
            waiver.flush();
            changes.fire(new WaiversChanged(cluster.id, waiver.nodeId));
        }
        return waiver;
    }
}
