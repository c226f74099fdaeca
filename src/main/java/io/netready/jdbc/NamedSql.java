package io.netready.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SQL with {@code :name} parameters, parsed once. A statement built from it is bound by name, so a statement that
 * several parts of an upload contribute to never passes positions around, and it refuses to run with a parameter left
 * unbound. {@code ::type} casts, quoted literals and comments are left alone.
 */
public final class NamedSql {

    private final String jdbc;
    private final Map<String, int[]> positions;
    private final int count;

    private NamedSql(String jdbc, Map<String, int[]> positions, int count) {
        this.jdbc = jdbc;
        this.positions = positions;
        this.count = count;
    }

    public static NamedSql parse(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        Map<String, List<Integer>> found = new LinkedHashMap<>();
        int position = 0;
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = sql.indexOf(c, i + 1);
                end = end < 0 ? sql.length() : end + 1;
                out.append(sql, i, end);
                i = end;
            } else if (c == '-' && sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? sql.length() : end;
                out.append(sql, i, end);
                i = end;
            } else if (c == ':' && i + 1 < sql.length() && sql.charAt(i + 1) == ':') {
                out.append("::");
                i += 2;
            } else if (c == ':' && i + 1 < sql.length() && Character.isJavaIdentifierStart(sql.charAt(i + 1))) {
                int end = i + 1;
                while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
                    end++;
                }
                found.computeIfAbsent(sql.substring(i + 1, end), k -> new ArrayList<>()).add(++position);
                out.append('?');
                i = end;
            } else if (c == '?') {
                throw new IllegalArgumentException("Use :name parameters, not ?, in " + sql);
            } else {
                out.append(c);
                i++;
            }
        }
        Map<String, int[]> positions = new LinkedHashMap<>();
        found.forEach((name, at) -> positions.put(name, at.stream().mapToInt(Integer::intValue).toArray()));
        return new NamedSql(out.toString(), positions, position);
    }

    /** The statement with {@code ?} placeholders, as JDBC sees it. */
    public String jdbc() {
        return jdbc;
    }

    public Bound prepare(Connection connection) throws SQLException {
        return new Bound(connection, connection.prepareStatement(jdbc));
    }

    /** A prepared statement of this SQL, bound by name. Close it (it closes the statement). */
    public final class Bound implements AutoCloseable {

        private final Connection connection;
        private final PreparedStatement statement;
        private final BitSet bound = new BitSet();

        private Bound(Connection connection, PreparedStatement statement) {
            this.connection = connection;
            this.statement = statement;
        }

        private int[] at(String name) {
            int[] at = positions.get(name);
            if (at == null) {
                throw new IllegalArgumentException("No parameter :" + name + " in " + jdbc);
            }
            for (int p : at) {
                bound.set(p);
            }
            return at;
        }

        public Bound set(String name, long value) throws SQLException {
            for (int p : at(name)) {
                statement.setLong(p, value);
            }
            return this;
        }

        public Bound set(String name, Long value) throws SQLException {
            for (int p : at(name)) {
                if (value == null) {
                    statement.setNull(p, Types.BIGINT);
                } else {
                    statement.setLong(p, value);
                }
            }
            return this;
        }

        public Bound set(String name, Integer value) throws SQLException {
            for (int p : at(name)) {
                if (value == null) {
                    statement.setNull(p, Types.INTEGER);
                } else {
                    statement.setInt(p, value);
                }
            }
            return this;
        }

        public Bound set(String name, String value) throws SQLException {
            for (int p : at(name)) {
                statement.setString(p, value);
            }
            return this;
        }

        public Bound set(String name, boolean value) throws SQLException {
            for (int p : at(name)) {
                statement.setBoolean(p, value);
            }
            return this;
        }

        public Bound set(String name, byte[] value) throws SQLException {
            for (int p : at(name)) {
                statement.setBytes(p, value);
            }
            return this;
        }

        public Bound set(String name, Instant value) throws SQLException {
            Timestamp time = value == null ? null : Timestamp.from(value);
            for (int p : at(name)) {
                statement.setTimestamp(p, time);
            }
            return this;
        }

        /** A {@code text[]} parameter. */
        public Bound setTexts(String name, Collection<String> values) throws SQLException {
            java.sql.Array array = connection.createArrayOf("text", values.toArray());
            for (int p : at(name)) {
                statement.setArray(p, array);
            }
            return this;
        }

        /** A {@code bigint[]} parameter. */
        public Bound setLongs(String name, Collection<Long> values) throws SQLException {
            java.sql.Array array = connection.createArrayOf("bigint", values.toArray());
            for (int p : at(name)) {
                statement.setArray(p, array);
            }
            return this;
        }

        /** A {@code bytea[]} parameter. */
        public Bound setBytes(String name, Collection<byte[]> values) throws SQLException {
            java.sql.Array array = connection.createArrayOf("bytea", values.toArray(new byte[0][]));
            for (int p : at(name)) {
                statement.setArray(p, array);
            }
            return this;
        }

        /** The statement, once every parameter is bound. */
        public PreparedStatement statement() {
            if (bound.cardinality() != count) {
                List<String> missing = new ArrayList<>();
                positions.forEach((name, at) -> {
                    if (!bound.get(at[0])) {
                        missing.add(":" + name);
                    }
                });
                throw new IllegalStateException("Unbound parameters " + missing + " in " + jdbc);
            }
            return statement;
        }

        @Override
        public void close() throws SQLException {
            statement.close();
        }
    }
}
