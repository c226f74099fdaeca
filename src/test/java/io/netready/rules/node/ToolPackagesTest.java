package io.netready.rules.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.netready.facts.OsRelease;

/** The install command and package names chosen from os-release's ID, then ID_LIKE. */
class ToolPackagesTest {

    private static ToolPackages of(String osRelease) {
        return ToolPackages.of(OsRelease.parse(osRelease)).orElseThrow();
    }

    @Test
    void byIdAndIdLike() {
        ToolPackages ubuntu = of("NAME=\"Ubuntu\"\nID=ubuntu\nID_LIKE=debian\n");
        assertEquals("apt-get install -y", ubuntu.install());
        assertEquals(List.of("conntrack", "iproute2", "util-linux"), ubuntu.packagesFor(List.of("conntrack", "tc", "nsenter")));
        ToolPackages rocky = of("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n");
        assertEquals("dnf install -y", rocky.install());
        assertEquals(List.of("conntrack-tools", "iproute-tc", "iproute"), rocky.packagesFor(List.of("conntrack", "tc", "ip")));
        assertEquals("dnf install -y", of("ID=\"centos-stream-like\"\nID_LIKE=\"rhel fedora\"\n").install(), "ID_LIKE decides");
        assertEquals("zypper install -y", of("ID=\"opensuse-leap\"\nID_LIKE=\"suse opensuse\"\n").install());
        assertEquals("apk add", of("ID=alpine\n").install());
        assertEquals("pacman -S --needed --noconfirm", of("ID=arch\n").install());
        assertEquals(List.of("conntrack-tools", "socat"), of("ID=sles\n").packagesFor(List.of("conntrack", "socat")));
    }

    @Test
    void unknownDistributionsHaveNoPackages() {
        assertTrue(ToolPackages.of(OsRelease.parse("ID=nixos\n")).isEmpty());
    }
}
