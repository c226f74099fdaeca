package io.netready.plan;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.netready.api.ProblemException;
import io.netready.cluster.Cluster;
import io.netready.config.NetreadyConfig;
import io.netready.net.Cidr;
import io.netready.plan.PlanPeers.Peer;
import io.netready.plan.PlanPeers.Source;

/**
 * Builds a node's reachability plan: every control plane of its cluster, and the next {@code k} workers after where
 * its last plan ended (wrapping round), so that successive runs cover every pair while each plan reads O(k) rows.
 * Targets are the peers' own node IPs and ports of the {@link PortCatalog}; the request only names the asking node.
 */
@ApplicationScoped
public class PlanService {

    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252})");
    /** More control planes than this is no cluster netready knows of; the budget goes to workers then. */
    private static final int MAX_CONTROL_PLANES = 16;

    private final AgroalDataSource dataSource;
    private final int workersPerRun;
    private final int connectTimeoutMs;

    @Inject
    public PlanService(AgroalDataSource dataSource, NetreadyConfig config) {
        this.dataSource = dataSource;
        this.workersPerRun = config.plan().workersPerRun();
        this.connectTimeoutMs = (int) config.plan().connectTimeout().toMillis();
    }

    /** The plan of the node named {@code hostname} in {@code cluster}; a bad name is a 400 that says why. */
    public ReachabilityPlan plan(Cluster cluster, String hostname) {
        String node = validHostname(hostname);
        Instant now = Instant.now();
        try (Connection connection = dataSource.getConnection()) {
            Source source = PlanPeers.source(connection, cluster.id, node);
            Set<String> planned = new HashSet<>();
            Vouched vouched = new Vouched(cluster.nodeNetworkList());
            source.addresses().forEach(a -> Cidr.parseAddress(a).ifPresent(ip -> planned.add(ip.getHostAddress())));
            List<PlanTarget> targets = new ArrayList<>();
            int budget = PortCatalog.MAX_CONNECTS;
            for (Peer peer : PlanPeers.after(connection, cluster.id, "control-plane", 0, source.ids(), MAX_CONTROL_PLANES)) {
                List<PlanPort> ports = PortCatalog.controlPlane(source.controlPlane());
                if (ports.size() <= budget && add(targets, planned, vouched, peer, ports)) {
                    budget -= ports.size();
                }
            }
            int workers = Math.min(workersPerRun, budget / PortCatalog.WORKER_PORTS);
            long cursor = PlanPeers.cursor(connection, cluster.id, node);
            List<Peer> next = new ArrayList<>(PlanPeers.after(connection, cluster.id, "worker", cursor, source.ids(), workers));
            if (next.size() < workers && cursor > 0) {
                // round the end of the id range: the workers before the cursor, up to it
                PlanPeers.after(connection, cluster.id, "worker", 0, source.ids(), workers - next.size()).stream()
                        .filter(p -> p.id() <= cursor && next.stream().noneMatch(n -> n.id() == p.id())).forEach(next::add);
            }
            for (Peer peer : next) {
                add(targets, planned, vouched, peer, PortCatalog.worker(peer.hostname()));
            }
            if (!next.isEmpty()) {
                PlanPeers.moveCursor(connection, cluster.id, node, next.get(next.size() - 1).id(), now);
            }
            return new ReachabilityPlan(ReachabilityPlan.FORMAT, cluster.name, node, now, PortCatalog.MAX_CONNECTS,
                    connectTimeoutMs, List.copyOf(targets), PortCatalog.UNTESTED, vouched.withheld());
        } catch (SQLException e) {
            throw new IllegalStateException("Planning for node " + node + " of cluster " + cluster.name + " failed", e);
        }
    }

    /**
     * Adds the peer unless its address is no unicast address another node could reach, is one the portal cannot vouch
     * for, or is planned already.
     */
    private static boolean add(List<PlanTarget> targets, Set<String> planned, Vouched vouched, Peer peer,
            List<PlanPort> ports) {
        Optional<InetAddress> address = Cidr.parseAddress(peer.address()).filter(PlanService::reachableUnicast);
        if (address.isEmpty() || !vouched.test(peer, address.get()) || !planned.add(address.get().getHostAddress())) {
            return false;
        }
        // the address as the peer reported it: the probe's outcome names it so, and the portal matches it to the peer
        targets.add(new PlanTarget(peer.hostname(), peer.address(), peer.role(), ports));
        return true;
    }

    /**
     * Whether the portal can vouch for a peer's address: the peer uploaded from it, or it lies in the cluster's
     * declared node networks. Counts the peers it cannot vouch for.
     */
    private static final class Vouched {
        private final List<Cidr> networks;
        private int withheld;

        Vouched(List<Cidr> networks) {
            this.networks = networks;
        }

        boolean test(Peer peer, InetAddress address) {
            if (peer.confirmed() || networks.stream().anyMatch(n -> n.contains(address))) {
                return true;
            }
            withheld++;
            return false;
        }

        ReachabilityPlan.Withheld withheld() {
            return withheld == 0 ? null : new ReachabilityPlan.Withheld(withheld, ReachabilityPlan.Withheld.WHY);
        }
    }

    /** A node IP a peer may be sent to: not loopback, link-local, multicast, broadcast or unspecified. */
    static boolean reachableUnicast(InetAddress address) {
        boolean broadcast = address instanceof Inet4Address && address.getHostAddress().equals("255.255.255.255");
        return !address.isLoopbackAddress() && !address.isLinkLocalAddress() && !address.isMulticastAddress()
                && !address.isAnyLocalAddress() && !broadcast;
    }

    private static String validHostname(String hostname) {
        if (hostname == null || hostname.isEmpty()) {
            throw ProblemException.badRequest("the query parameter 'node' (the asking node's hostname) is required");
        }
        if (!HOSTNAME.matcher(hostname).matches()) {
            throw ProblemException.badRequest("node must be a hostname: 1-253 letters, digits, '.', '_' or '-', starting "
                    + "with a letter or digit");
        }
        return hostname.toLowerCase(Locale.ROOT);
    }
}
