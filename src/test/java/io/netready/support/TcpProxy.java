package io.netready.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP forwarder the test controls, to take a server away and bring it back: it forwards, refuses
 * connections (nothing listens on its port), or accepts them and never answers. Switching closes every connection it
 * holds, so pooled keep-alive connections die too, as they would when the server goes.
 */
public final class TcpProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private ServerSocket server;  // guarded by this
    private volatile boolean hang;

    private TcpProxy(InetSocketAddress target, int port) {
        this.target = target;
        this.port = port;
    }

    /** A proxy on a free loopback port, forwarding to {@code target} (a loopback address too). */
    public static TcpProxy forwardingTo(InetSocketAddress target) throws IOException {
        if (!target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("only loopback targets: " + target);
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        TcpProxy proxy = new TcpProxy(target, port);
        proxy.forward();
        return proxy;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>} */
    public String url() {
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
    }

    /** Connections are forwarded to the target. */
    public synchronized void forward() throws IOException {
        hang = false;
        dropConnections();
        listen();
    }

    /** Nothing listens: connections are refused. */
    public synchronized void refuse() throws IOException {
        hang = false;
        if (server != null) {
            server.close();
            server = null;
        }
        dropConnections();
    }

    /** Connections are accepted and read, and never answered. */
    public synchronized void hang() throws IOException {
        hang = true;
        dropConnections();
        listen();
    }

    @Override
    public synchronized void close() throws IOException {
        refuse();
    }

    private void listen() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server = socket;
        Thread accept = new Thread(() -> accept(socket), "tcp-proxy-" + port);
        accept.setDaemon(true);
        accept.start();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                open.add(client);
                if (hang) {
                    daemon(() -> pump(client, null, OutputStream.nullOutputStream()));
                    continue;
                }
                Socket upstream = new Socket();
                open.add(upstream);
                upstream.connect(target, 2000);
                daemon(() -> pump(client, upstream, null));
                daemon(() -> pump(upstream, client, null));
            } catch (IOException e) {
                // closed while accepting or connecting: the mode changed
            }
        }
    }

    /** Copies from one socket to the other (or to {@code sink}) until either end closes; then closes both. */
    private void pump(Socket from, Socket to, OutputStream sink) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to == null ? sink : to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0;) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one end went away
        } finally {
            quietly(from);
            if (to != null) {
                quietly(to);
            }
        }
    }

    private void dropConnections() {
        open.forEach(TcpProxy::quietly);
        open.clear();
    }

    private static void quietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task, "tcp-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }
}
