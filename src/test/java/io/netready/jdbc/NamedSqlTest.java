package io.netready.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NamedSqlTest {

    @Test
    void namesBecomePlaceholdersAndCastsQuotesAndCommentsStay() {
        NamedSql sql = NamedSql.parse("""
                SELECT :id::bigint, ':not_a_name', "col:x" -- a :comment
                FROM t WHERE a = :id AND b = :b_2""");
        assertEquals("""
                SELECT ?::bigint, ':not_a_name', "col:x" -- a :comment
                FROM t WHERE a = ? AND b = ?""", sql.jdbc());
    }

    @Test
    void positionalPlaceholdersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> NamedSql.parse("SELECT * FROM t WHERE a = ?"));
    }
}
