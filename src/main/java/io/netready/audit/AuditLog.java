package io.netready.audit;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import io.netready.jdbc.NamedSql;
import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

/** Appends to the audit trail, in the caller's transaction so an action and its record commit together. */
@ApplicationScoped
public class AuditLog {

    @Inject
    AgroalDataSource dataSource;

    /**
     * Records an action of the current request's user on a cluster (or none: null id and name), with the request's
     * address; returns the event's id.
     */
    @Transactional
    public long record(String actor, String action, Long clusterId, String clusterName, String target, String detail) {
        return recordFrom(currentAddress(), actor, action, clusterId, clusterName, target, detail);
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

    /** Records an action from an address on a cluster (or none); returns the event's id. Pages escape the values. */
    @Transactional
    public long recordFrom(String address, String actor, String action, Long clusterId, String clusterName, String target,
            String detail) {
        try (Connection connection = dataSource.getConnection()) {
            return record(connection, actor, action, clusterId, clusterName, target, detail, address);
        } catch (SQLException e) {
            throw new IllegalStateException("Recording " + action + " in the audit log failed", e);
        }
    }

    private static final NamedSql INSERT = NamedSql.parse("""
            INSERT INTO audit_event (actor, action, cluster_id, cluster_name, target, detail, address)
            VALUES (:actor, :action, :cluster, :cluster_name, :target, :detail, :address) RETURNING id""");

    /** Records an action on the caller's connection, in its transaction; returns the event's id. */
    public static long record(Connection connection, String actor, String action, Long clusterId, String clusterName,
            String target, String detail, String address) throws SQLException {
        try (NamedSql.Bound insert = INSERT.prepare(connection)) {
            insert.set("actor", actor).set("action", action).set("cluster", clusterId).set("cluster_name", clusterName)
                    .set("target", abbreviate(target)).set("detail", abbreviate(detail)).set("address", address);
            try (ResultSet id = insert.statement().executeQuery()) {
                id.next();
                return id.getLong(1);
            }
        }
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

    /** Targets and details are cut at 2000 characters. */
    public static String abbreviate(String value) {
        return value == null || value.length() <= 2000 ? value : value.substring(0, 1997) + "...";
    }

    /** One audit event as the export writes it. */
    public interface EventSink {
        void accept(Instant at, String actor, String action, String cluster, String target, String detail, String address)
                throws IOException;
    }

    /** Events newest first, filtered as {@link #search}; an empty filter keeps everything. */
    private static final NamedSql EXPORT = NamedSql.parse("""
            SELECT at, actor, action, cluster_name, target, detail, address FROM audit_event
             WHERE (CAST(:action AS text) IS NULL OR action = :action)
               AND (CAST(:actor AS text) IS NULL OR actor = :actor)
               AND (CAST(:cluster AS text) IS NULL OR cluster_name = :cluster)
             ORDER BY at DESC, id DESC""");

    /**
     * Streams every matching event to the sink, newest first, reading them from the database in batches (a cursor), so
     * an export of the whole trail never holds it in memory.
     */
    public void export(String action, String actor, String cluster, EventSink sink) throws IOException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false); // PostgreSQL only streams rows with a cursor inside a transaction
            try (NamedSql.Bound select = EXPORT.prepare(connection)) {
                select.set("action", blankToNull(action)).set("actor", blankToNull(actor)).set("cluster", blankToNull(cluster));
                select.statement().setFetchSize(500);
                try (ResultSet row = select.statement().executeQuery()) {
                    while (row.next()) {
                        sink.accept(row.getTimestamp(1).toInstant(), row.getString(2), row.getString(3), row.getString(4),
                                row.getString(5), row.getString(6), row.getString(7));
                    }
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Exporting the audit log failed", e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
