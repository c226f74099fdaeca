package io.netready.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.netready.reportformat.ReportReader;

/**
 * The probe falls back to plain {@code ip} text (BusyBox, old iproute2), to net-tools (ifconfig, route -n, arp) and to
 * netstat. Each fixture directory holds three reports the real probe made in one unchanged namespace, once with each
 * set of tools (src/test/probe/capture-parser-fixtures.sh); the parsers must read the same facts from all three, but
 * for what a form cannot show (net-tools has no IPv6 routes and hides unlabelled secondary addresses; BusyBox netstat
 * shows no processes).
 */
class TextFormsParseLikeJsonTest {

    private static final ReportReader READER = new ReportReader(64 * 1024 * 1024);

    @ParameterizedTest
    @ValueSource(strings = { "basic", "ipv6", "many" })
    void plainIpTextReadsLikeJson(String scenario) throws IOException {
        NodeFacts json = facts(scenario, "json");
        NodeFacts text = facts(scenario, "iptext");
        assertEquals(interfaces(json), interfaces(text), "interfaces");
        assertEquals(addresses(json, true), addresses(text, true), "addresses");
        assertEquals(routes(json.routes().value()), routes(text.routes().value()), "IPv4 routes");
        assertEquals(routes(json.routes6().value()), routes(text.routes6().value()), "IPv6 routes");
        assertEquals(ports(json), ports(text), "listening ports");
        assertEquals(json.defaultRoute().map(Route::gateway), text.defaultRoute().map(Route::gateway));
        assertEquals(json.nodeIp(), text.nodeIp(), "node IP");
    }

    @ParameterizedTest
    @ValueSource(strings = { "basic", "ipv6", "many" })
    void netToolsReadLikeJson(String scenario) throws IOException {
        NodeFacts json = facts(scenario, "json");
        NodeFacts tools = facts(scenario, "nettools");
        assertEquals(interfaces(json), interfaces(tools), "interfaces");
        Set<String> jsonV4 = addresses(json, false);
        Set<String> toolsV4 = addresses(tools, false);
        assertTrue(jsonV4.containsAll(toolsV4), "ifconfig shows no address that is not there: " + toolsV4 + " vs " + jsonV4);
        // ifconfig hides unlabelled secondary addresses; every interface's primary one is there.
        assertEquals(primaries(json), primaries(tools), "primary IPv4 addresses");
        assertEquals(routes(json.routes().value()), routes(tools.routes().value()), "IPv4 routes");
        assertEquals(ports(json), ports(tools), "listening ports");
        assertEquals(processes(json), processes(tools), "listening processes (net-tools cuts names: compared by prefix)");
        assertEquals(json.defaultRoute().map(Route::gateway), tools.defaultRoute().map(Route::gateway));
    }

    private static NodeFacts facts(String scenario, String form) throws IOException {
        Path file = Path.of("src/test/resources/parser-fixtures", scenario, form + ".json");
        return NodeFacts.from(READER.parse(Files.readAllBytes(file)));
    }

    private static Set<String> interfaces(NodeFacts facts) {
        return facts.interfaces().value().stream().map(i -> i.name() + (i.up() ? " up" : " down"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> addresses(NodeFacts facts, boolean withIpv6) {
        return facts.interfaces().value().stream().flatMap(i -> i.addresses().stream()
                .filter(a -> (withIpv6 || a.isIpv4()) && !"link".equals(a.scope()))
                .map(a -> i.name() + " " + a.cidr())).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> primaries(NodeFacts facts) {
        return facts.interfaces().value().stream()
                .flatMap(i -> i.addresses().stream().filter(NetInterface.IfAddress::isIpv4).limit(1).map(a -> i.name() + " " + a.cidr()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> routes(List<Route> routes) {
        return routes.stream().map(r -> r.destination() + (r.gateway() == null ? "" : " via " + r.gateway()) + " dev " + r.device())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> ports(NodeFacts facts) {
        return facts.listeners().value().stream().map(l -> l.protocol() + " " + l.port())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> processes(NodeFacts facts) {
        return facts.listeners().value().stream().filter(l -> l.process() != null)
                .map(l -> l.protocol() + " " + l.port() + " " + l.process().substring(0, Math.min(12, l.process().length())))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
