package io.netready.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.netready.api.ProblemException;
import io.netready.audit.AuditAction;
import io.netready.audit.AuditLog;
import io.netready.net.Cidr;
import io.netready.rules.RoutingMode;
import io.netready.security.CurrentUser;

/** Creates clusters and finds the ones the current user may see. */
@ApplicationScoped
public class ClusterService {

    /** Cluster and team names: DNS-label style, so they are safe in URLs, commands and file names. */
    static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    @Inject
    CurrentUser user;

    @Inject
    AuditLog audit;

    public List<Cluster> listVisible() {
        user.requireMember();
        return user.isAdmin() ? Cluster.listAllByName() : Cluster.listForTeams(user.teams());
    }

    /** The named cluster, or 404 when it does not exist or belongs to a team the user is not in. */
    public Cluster findVisible(String name) {
        user.requireMember();
        return Cluster.findByName(name)
                .filter(cluster -> user.canSee(cluster.team))
                .orElseThrow(() -> ProblemException.notFound("No cluster named '" + name + "' that you may see."));
    }

    @Transactional
    public Cluster create(NewCluster request) {
        user.requireAdmin();
        Cluster cluster = create(request, user.name());
        audit.record(user.name(), AuditAction.CLUSTER_CREATE, cluster.id, cluster.name, cluster.name, describe(cluster));
        return cluster;
    }

    static String describe(Cluster cluster) {
        return "team " + cluster.team + ", pod CIDR " + cluster.podCidr + ", Service CIDR " + cluster.serviceCidr
                + ", routing " + cluster.routingMode
                + (cluster.nodeNetworks == null ? "" : ", node networks " + cluster.nodeNetworks);
    }

    /** Creates a cluster on behalf of {@code actor} (a user, or the start-up bootstrap). */
    @Transactional
    public Cluster create(NewCluster request, String actor) {
        NewCluster valid = request.validated();
        if (Cluster.findByName(valid.name()).isPresent()) {
            throw ProblemException.conflict("A cluster named '" + valid.name() + "' exists already.");
        }
        Cluster cluster = new Cluster();
        cluster.name = valid.name();
        cluster.team = valid.team();
        cluster.podCidr = valid.podCidr();
        cluster.serviceCidr = valid.serviceCidr();
        cluster.routingMode = valid.routingMode();
        cluster.nodeNetworks = valid.nodeNetworks();
        cluster.createdAt = Instant.now();
        cluster.createdBy = actor;
        cluster.persist();
        return cluster;
    }

    /** Changes the settings the rules use; stored reports keep their findings until re-evaluated. */
    @Transactional
    public Cluster updateSettings(String name, Settings settings) {
        user.requireAdmin();
        Cluster cluster = Cluster.findByName(name)
                .orElseThrow(() -> ProblemException.notFound("No cluster named '" + name + "'."));
        NewCluster valid = new NewCluster(cluster.name, cluster.team, settings.podCidr(), settings.serviceCidr(),
                settings.routingMode(), settings.nodeNetworks()).validated();
        String before = describe(cluster);
        cluster.podCidr = valid.podCidr();
        cluster.serviceCidr = valid.serviceCidr();
        cluster.routingMode = valid.routingMode();
        cluster.nodeNetworks = valid.nodeNetworks();
        audit.record(user.name(), AuditAction.SETTINGS_CHANGE, cluster.id, cluster.name, cluster.name, before + " -> " + describe(cluster));
        return cluster;
    }

    /** The cluster settings readiness rules and reachability plans use. */
    public record Settings(String podCidr, String serviceCidr, String routingMode, String nodeNetworks) {

        public Settings(String podCidr, String serviceCidr, String routingMode) {
            this(podCidr, serviceCidr, routingMode, null);
        }
    }

    /** What it takes to create a cluster; the CIDRs and the routing mode are optional. */
    public record NewCluster(String name, String team, String podCidr, String serviceCidr, String routingMode,
            String nodeNetworks) {

        /** At most this many node networks: a cluster's racks or subnets, not a list of addresses. */
        static final int MAX_NODE_NETWORKS = 32;

        public NewCluster(String name, String team, String podCidr, String serviceCidr) {
            this(name, team, podCidr, serviceCidr, null, null);
        }

        public NewCluster(String name, String team, String podCidr, String serviceCidr, String routingMode) {
            this(name, team, podCidr, serviceCidr, routingMode, null);
        }

        NewCluster validated() {
            String n = trim(name);
            String t = trim(team);
            if (n == null || !NAME.matcher(n).matches()) {
                throw ProblemException.unprocessable(
                        "name must be 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit");
            }
            if (t == null || !NAME.matcher(t).matches()) {
                throw ProblemException.unprocessable(
                        "team must be 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit");
            }
            String pod = cidrsOrNull("podCidr", podCidr);
            String service = cidrsOrNull("serviceCidr", serviceCidr);
            if (pod != null && service != null) {
                for (String p : pod.split(",")) {
                    for (String sv : service.split(",")) {
                        if (Cidr.parse(p).get().overlaps(Cidr.parse(sv).get())) {
                            throw ProblemException.unprocessable("podCidr " + p + " overlaps serviceCidr " + sv);
                        }
                    }
                }
            }
            String mode = trim(routingMode) == null ? RoutingMode.UNKNOWN.word() : trim(routingMode);
            if (RoutingMode.fromWord(mode).isEmpty()) {
                throw ProblemException.unprocessable("routingMode must be one of routed, overlay, unknown");
            }
            return new NewCluster(n, t, pod, service, mode, networksOrNull(nodeNetworks));
        }

        /** Up to {@value #MAX_NODE_NETWORKS} networks, comma-separated, each a CIDR; stored normalized. */
        private static String networksOrNull(String value) {
            String v = trim(value);
            if (v == null) {
                return null;
            }
            String[] parts = v.split(",", -1);
            if (parts.length > MAX_NODE_NETWORKS) {
                throw ProblemException.unprocessable("nodeNetworks has " + parts.length + " networks; at most "
                        + MAX_NODE_NETWORKS);
            }
            List<String> networks = new ArrayList<>();
            for (String part : parts) {
                String p = part.strip().toLowerCase(Locale.ROOT);
                Cidr cidr = Cidr.parse(p).orElseThrow(() -> ProblemException.unprocessable("nodeNetworks '" + p
                        + "' is not a network in CIDR notation such as 10.0.0.0/16"));
                if (cidr.prefixLength() == 0) {
                    throw ProblemException.unprocessable("nodeNetworks '" + p + "' is every address: name the networks "
                            + "the nodes live in");
                }
                networks.add(cidr.toString());
            }
            return String.join(",", networks);
        }

        /**
         * One network, or kubeadm's dual-stack form of one per family ({@code 10.244.0.0/16,fd00:10:244::/56}), each
         * part checked on its own; stored normalized, the IPv4 part first.
         */
        private static String cidrsOrNull(String field, String value) {
            String v = trim(value);
            if (v == null) {
                return null;
            }
            String[] parts = v.split(",", -1);
            if (parts.length > 2) {
                throw ProblemException.unprocessable(field + " '" + v + "' has " + parts.length
                        + " networks; a dual-stack cluster has one per family, such as 10.244.0.0/16,fd00:10:244::/56");
            }
            List<Cidr> networks = new ArrayList<>();
            List<String> written = new ArrayList<>();
            for (String part : parts) {
                String p = part.strip().toLowerCase(Locale.ROOT);
                networks.add(Cidr.parse(p).orElseThrow(() -> ProblemException.unprocessable(field + " '" + p
                        + "' is not a network in CIDR notation such as 10.244.0.0/16"
                        + (parts.length > 1 ? " (in '" + v + "')" : ""))));
                written.add(p);
            }
            if (networks.size() == 2 && networks.get(0).isIpv4() == networks.get(1).isIpv4()) {
                throw ProblemException.unprocessable(field + " '" + v + "' names two " + (networks.get(0).isIpv4() ? "IPv4" : "IPv6")
                        + " networks; a dual-stack cluster has one IPv4 and one IPv6 network");
            }
            // as written (fd00:10:244::/56, not its long form), the IPv4 network first as kubeadm writes it
            if (networks.size() == 2 && !networks.get(0).isIpv4()) {
                return written.get(1) + "," + written.get(0);
            }
            return String.join(",", written);
        }

        private static String trim(String value) {
            return value == null || value.isBlank() ? null : value.strip();
        }
    }
}
