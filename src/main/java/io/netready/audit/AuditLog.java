package io.netready.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import io.netready.cluster.Cluster;

/** Appends to the audit trail, in the caller's transaction so an action and its record commit together. */
@ApplicationScoped
public class AuditLog {

    @Inject
    AgroalDataSource dataSource;

    /** Records an action of the current request's user on a cluster (or none), with the request's address. */
    @Transactional
    public void record(String actor, String action, Cluster cluster, String target, String detail) {
        record(actor, action, cluster, target, detail, currentAddress());
    }

    /** The address the current HTTP request comes from, or null outside a request (start-up). */
    public static String currentAddress() {
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        RoutingContext context = Arc.container().instance(CurrentVertxRequest.class).get().getCurrent();
        return context == null || context.request().remoteAddress() == null ? null
                : context.request().remoteAddress().hostAddress();
    }

    /** Records an action on a cluster (or none). Values are stored as given; pages escape them. */
    @Transactional
    public void record(String actor, String action, Cluster cluster, String target, String detail, String address) {
        try (Connection connection = dataSource.getConnection()) {
            record(connection, actor, action, cluster == null ? null : cluster.id, cluster == null ? null : cluster.name,
                    target, detail, address);
        } catch (SQLException e) {
            throw new IllegalStateException("Recording " + action + " in the audit log failed", e);
        }
    }

    public static void record(Connection connection, String actor, String action, Long clusterId, String clusterName,
            String target, String detail, String address) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(insertFrom(null))) {
            bind(insert, 1, actor, action, clusterId, clusterName, target, detail, address);
            insert.executeUpdate();
        }
    }

    /**
     * The insert of one event as part of a larger statement: {@code INSERT ... SELECT <7 parameters> FROM relation} (one
     * row per row of {@code relation}, e.g. a CTE that inserted what is audited), or without FROM when it is null.
     * Parameters are bound by {@link #bind}.
     */
    public static String insertFrom(String relation) {
        return """
                INSERT INTO audit_event (actor, action, cluster_id, cluster_name, target, detail, address)
                SELECT ?::text, ?::text, ?::bigint, ?::text, ?::text, ?::text, ?::text"""
                + (relation == null ? "" : " FROM " + relation);
    }

    /** Binds the parameters of {@link #insertFrom} from {@code index} on; returns the next free index. */
    public static int bind(PreparedStatement insert, int index, String actor, String action, Long clusterId,
            String clusterName, String target, String detail, String address) throws SQLException {
        int i = index;
        insert.setString(i++, actor);
        insert.setString(i++, action);
        if (clusterId == null) {
            insert.setNull(i++, Types.BIGINT);
        } else {
            insert.setLong(i++, clusterId);
        }
        insert.setString(i++, clusterName);
        insert.setString(i++, abbreviate(target));
        insert.setString(i++, abbreviate(detail));
        insert.setString(i++, address);
        return i;
    }

    /** Events newest first, filtered by action, actor and cluster name (each optional). */
    public List<AuditEvent> search(String action, String actor, String cluster, int limit) {
        StringBuilder query = new StringBuilder("1 = 1");
        java.util.Map<String, Object> params = new java.util.HashMap<>();
        if (action != null && !action.isBlank()) {
            query.append(" and action = :action");
            params.put("action", action);
        }
        if (actor != null && !actor.isBlank()) {
            query.append(" and actor = :actor");
            params.put("actor", actor);
        }
        if (cluster != null && !cluster.isBlank()) {
            query.append(" and clusterName = :cluster");
            params.put("cluster", cluster);
        }
        return AuditEvent.<AuditEvent> find(query + " order by at desc, id desc", params).range(0, limit - 1).list();
    }

    private static String abbreviate(String value) {
        return value == null || value.length() <= 2000 ? value : value.substring(0, 1997) + "...";
    }
}
