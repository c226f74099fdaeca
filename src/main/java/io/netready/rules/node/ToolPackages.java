package io.netready.rules.node;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.netready.facts.OsRelease;

/**
 * Which distribution package holds each command the kubelet and kube-proxy run, and the install command, chosen by
 * os-release's ID and then ID_LIKE (Rocky says "rhel centos fedora", Ubuntu "debian", openSUSE "suse opensuse").
 */
record ToolPackages(String family, String install, Map<String, String> packages) {

    private static final ToolPackages DEBIAN = new ToolPackages("Debian/Ubuntu", "apt-get install -y", Map.of(
            "conntrack", "conntrack", "ip", "iproute2", "tc", "iproute2", "iptables", "iptables", "mount", "mount",
            "nsenter", "util-linux", "ethtool", "ethtool", "socat", "socat"));
    /** tc is in iproute-tc from RHEL 8 and Fedora on; dnf finds iptables-nft by "iptables" on RHEL 9. */
    private static final ToolPackages RHEL = new ToolPackages("RHEL/Fedora", "dnf install -y", Map.of(
            "conntrack", "conntrack-tools", "ip", "iproute", "tc", "iproute-tc", "iptables", "iptables", "mount",
            "util-linux", "nsenter", "util-linux", "ethtool", "ethtool", "socat", "socat"));
    private static final ToolPackages SUSE = new ToolPackages("SUSE", "zypper install -y", Map.of(
            "conntrack", "conntrack-tools", "ip", "iproute2", "tc", "iproute2", "iptables", "iptables", "mount",
            "util-linux", "nsenter", "util-linux", "ethtool", "ethtool", "socat", "socat"));
    private static final ToolPackages ALPINE = new ToolPackages("Alpine", "apk add", Map.of(
            "conntrack", "conntrack-tools", "ip", "iproute2", "tc", "iproute2", "iptables", "iptables", "mount",
            "util-linux", "nsenter", "util-linux", "ethtool", "ethtool", "socat", "socat"));
    private static final ToolPackages ARCH = new ToolPackages("Arch", "pacman -S --needed --noconfirm", Map.of(
            "conntrack", "conntrack-tools", "ip", "iproute2", "tc", "iproute2", "iptables", "iptables", "mount",
            "util-linux", "nsenter", "util-linux", "ethtool", "ethtool", "socat", "socat"));

    private static final Map<String, ToolPackages> BY_ID = Map.ofEntries(
            Map.entry("debian", DEBIAN), Map.entry("ubuntu", DEBIAN), Map.entry("raspbian", DEBIAN),
            Map.entry("rhel", RHEL), Map.entry("fedora", RHEL), Map.entry("centos", RHEL), Map.entry("rocky", RHEL),
            Map.entry("almalinux", RHEL), Map.entry("ol", RHEL), Map.entry("amzn", RHEL),
            Map.entry("suse", SUSE), Map.entry("opensuse", SUSE), Map.entry("sles", SUSE), Map.entry("sle-micro", SUSE),
            Map.entry("opensuse-leap", SUSE), Map.entry("opensuse-tumbleweed", SUSE),
            Map.entry("alpine", ALPINE), Map.entry("arch", ARCH), Map.entry("manjaro", ARCH));

    /** The packages for the node's distribution: the first of ID, then ID_LIKE, that netready knows. */
    static Optional<ToolPackages> of(OsRelease os) {
        return os.family().stream().map(BY_ID::get).filter(p -> p != null).findFirst();
    }

    /** The packages that hold the commands, each once, in the commands' order. */
    List<String> packagesFor(List<String> commands) {
        Set<String> names = new LinkedHashSet<>();
        commands.forEach(c -> names.add(packages.getOrDefault(c, c)));
        return List.copyOf(names);
    }
}
