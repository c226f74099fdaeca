package io.netready.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The portal reaches its (embedded, real) PostgreSQL only through a {@link TcpProxy}, so a test can take the database
 * away and bring it back. The embedded database listens on NETREADY_TEST_DB_PORT (5439 unless set, as in
 * application.properties); {@link #proxy()} is the running proxy.
 */
public class DatabaseBehindProxy implements QuarkusTestResourceLifecycleManager {

    private static volatile TcpProxy proxy;

    public static TcpProxy proxy() {
        return proxy;
    }

    @Override
    public Map<String, String> start() {
        String port = System.getenv().getOrDefault("NETREADY_TEST_DB_PORT", "5439");
        try {
            proxy = TcpProxy.forwardingTo(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.datasource.jdbc.url",
                "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres?stringtype=unspecified");
    }

    @Override
    public void stop() {
        try {
            if (proxy != null) {
                proxy.close();
            }
        } catch (IOException e) {
            // the proxy goes away with the test
        }
    }
}
