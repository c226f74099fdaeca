package io.netready.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import io.netready.web.DatabaseDown;

/** Which failures answer 503 (retry later) rather than 500: the PostgreSQL driver's own exceptions. */
class DatabaseDownTest {

    @Test
    void aDatabaseThatCannotBeReachedIsUnavailable() {
        assertTrue(DatabaseDown.isCause(new IllegalStateException("storing failed",
                new PSQLException("Connection to localhost:5432 refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT))));
        assertTrue(DatabaseDown.isCause(new PSQLException("terminating connection due to administrator command",
                PSQLState.valueOf("CONNECTION_FAILURE"))));
        assertTrue(DatabaseDown.isCause(new SQLException("shutting down", "57P01")));
        assertTrue(DatabaseDown.isCause(new RuntimeException(new ConnectException("Connection refused"))));
        assertTrue(DatabaseDown.isCause(new SQLException("Acquisition timeout while waiting for new connection")));
    }

    @Test
    void aBugIsNot() {
        assertFalse(DatabaseDown.isCause(new IllegalStateException("boom")));
        assertFalse(DatabaseDown.isCause(new SQLException("duplicate key value violates unique constraint", "23505")));
        assertFalse(DatabaseDown.isCause(new PSQLException("syntax error", PSQLState.SYNTAX_ERROR)));
    }
}
