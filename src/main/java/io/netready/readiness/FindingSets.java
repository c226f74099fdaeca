package io.netready.readiness;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netready.jdbc.NamedSql;
import io.netready.rules.Finding;

/** Findings stored once per distinct set, keyed by the SHA-256 of the catalog version and their JSON. */
final class FindingSets {

    private static final TypeReference<List<Finding>> LIST = new TypeReference<>() {
    };

    private FindingSets() {
    }

    static String json(ObjectMapper mapper, List<Finding> findings) {
        try {
            return mapper.writeValueAsString(findings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Finding> read(ObjectMapper mapper, String json) {
        try {
            return mapper.readValue(json, LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored findings are unreadable", e);
        }
    }

    static byte[] hash(String catalogVersion, String json) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(catalogVersion.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(json.getBytes(StandardCharsets.UTF_8));
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stores a set unless an equal one is stored already. Most uploads repeat a set stored before: checked first, so that
     * its JSON is not parsed again for nothing.
     */
    private static final NamedSql INSERT_IF_NEW = NamedSql.parse("""
            INSERT INTO finding_set (hash, catalog_version, verdict, findings)
            SELECT :hash, :catalog_version, :verdict, CAST(:findings AS jsonb)
             WHERE NOT EXISTS (SELECT 1 FROM finding_set WHERE hash = :hash)
            ON CONFLICT (hash) DO NOTHING""");

    /** Stores the set unless an equal one is stored already; returns its hash. */
    static byte[] store(Connection connection, String catalogVersion, String verdict, String json) throws SQLException {
        byte[] hash = hash(catalogVersion, json);
        try (NamedSql.Bound insert = INSERT_IF_NEW.prepare(connection)) {
            insert.set("hash", hash).set("catalog_version", catalogVersion).set("verdict", verdict).set("findings", json);
            insert.statement().executeUpdate();
        }
        return hash;
    }
}
