package io.netready.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netready.rules.Finding;
import io.netready.rules.Remediation;
import io.netready.rules.Scope;
import io.netready.rules.Severity;
import io.netready.rules.Status;
import io.netready.support.Processes;

/**
 * The downloaded {@code fix-<node>.sh} as a newcomer meets it: the header shows the commands with the file's real
 * name, {@code --dry-run} only prints (under dash) and says that nothing was changed, a real run says it is done.
 */
class FixScriptTest {

    @TempDir
    Path dir;

    @Test
    void headerNamesTheDownloadedFileAndDryRunChangesNothing() throws IOException {
        Path applied = dir.resolve("applied");
        Report report = report("Worker_1.example");
        String download = FixScript.fileName(report.hostname);
        assertEquals("fix-Worker_1.example.sh", download);
        String script = FixScript.render(report, "platform", List.of(new Finding("ip-forward", Scope.NODE, Status.FAIL,
                Severity.ERROR, "net.ipv4.ip_forward must be 1",
                List.of(), new Remediation("# Mark the node as fixed.\ntouch " + applied, List.of()))), Instant.EPOCH);

        assertTrue(script.contains("\n# Read it first. Run as root on that node: sh " + download + " --dry-run   (prints"),
                script);
        assertTrue(script.contains("\n#                                          sh " + download + "             (runs them)"),
                script);
        assertFalse(script.contains("fix.sh"), "no other file name: " + script);

        Path file = dir.resolve(download);
        Files.writeString(file, script);
        List<Path> before = listing();
        Processes.Result dry = Processes.run(List.of("dash", file.toString(), "--dry-run"));
        assertEquals(0, dry.exitCode(), dry.stderr());
        assertEquals(before, listing(), "--dry-run only prints: " + dry.stdout());
        assertTrue(dry.stdout().contains("touch " + applied + "\n"), dry.stdout());
        assertEquals("netready: dry run, nothing was changed. To apply: sh " + download, lastLine(dry.stdout()));

        Processes.Result real = Processes.run(List.of("dash", file.toString()));
        assertEquals(0, real.exitCode(), real.stderr());
        assertTrue(Files.exists(applied), real.stdout());
        assertEquals("netready: done. Run the probe again to see the new verdict.", lastLine(real.stdout()));
    }

    /**
     * A forged node's machine-id finding, from the real rule: the script says what a new machine-id breaks, skips the
     * identity change without {@code --change-identity} (and under --dry-run only prints it), runs it with the flag.
     * The script runs with the machine-id paths moved into the test's directory, so nothing of this machine changes.
     */
    @Test
    void identityChangesRunOnlyWithChangeIdentity() throws IOException {
        java.time.Instant first = java.time.Instant.parse("2026-11-30T09:15:02Z");
        java.time.Instant later = java.time.Instant.parse("2026-12-02T18:40:11Z");
        io.netready.rules.NodeIdentity real = identity(9, "worker-1", first);
        io.netready.rules.NodeIdentity forged = identity(4, "intruder", later);
        Finding finding = new io.netready.rules.cluster.UniqueMachineIdRule().evaluate(
                new io.netready.rules.InMemoryClusterView(List.of(real, forged)), io.netready.rules.ClusterSettings.NONE,
                java.util.Set.of(4L)).get(4L);
        assertEquals(Status.FAIL, finding.status(), finding.message());
        Report report = report("intruder");
        String script = FixScript.render(report, "platform", List.of(finding), Instant.EPOCH);
        assertTrue(script.contains("\n# It does NOT change this node's identity unless you ask"), script);
        assertTrue(script.contains("\n#   sh fix-intruder.sh --change-identity\n"), script);
        assertTrue(script.contains("\n#   unique-machine-id: systemd, journald and D-Bus know the machine by it"), script);
        assertTrue(script.contains("DHCP") && script.contains("kubelet identity and node certificate"), script);
        assertTrue(script.contains("\nchange_identity 'rm -f /etc/machine-id /var/lib/dbus/machine-id'\n"), script);
        assertTrue(script.contains("\nchange_identity 'systemd-machine-id-setup'\n"), script);
        assertFalse(script.contains("run 'rm -f /etc/machine-id"), script);

        Path original = Files.writeString(dir.resolve("original.sh"), script);
        Processes.Result lint = Processes.run(List.of("shellcheck", "-s", "sh", original.toString()));
        assertEquals(0, lint.exitCode(), "shellcheck: " + lint.stdout());
        Files.delete(original);

        Path machineId = Files.writeString(dir.resolve("machine-id"), "cb3088d93019f29037596693b894437b\n");
        Path dbus = Files.writeString(dir.resolve("dbus-machine-id"), "cb3088d93019f29037596693b894437b\n");
        Path setup = dir.resolve("setup-ran");
        Path file = dir.resolve("fix-intruder.sh");
        Files.writeString(file, script.replace("/etc/machine-id", machineId.toString())
                .replace("/var/lib/dbus/machine-id", dbus.toString())
                .replace("systemd-machine-id-setup", "touch " + setup));

        Processes.Result plain = Processes.run(List.of("dash", file.toString()));
        assertEquals(0, plain.exitCode(), plain.stderr());
        assertTrue(Files.exists(machineId) && Files.exists(dbus) && !Files.exists(setup), "unchanged: " + plain.stdout());
        assertTrue(plain.stdout().contains("skipped (changes this node's identity; --change-identity runs it): rm -f "),
                plain.stdout());
        assertTrue(plain.stdout().contains("netready: the node's identity was left as it is. Read the header, then: sh "
                + "fix-intruder.sh --change-identity\n"), plain.stdout());

        Processes.Result dry = Processes.run(List.of("dash", file.toString(), "--dry-run", "--change-identity"));
        assertEquals(0, dry.exitCode(), dry.stderr());
        assertTrue(Files.exists(machineId) && !Files.exists(setup), "--dry-run only prints: " + dry.stdout());
        assertTrue(dry.stdout().contains("rm -f " + machineId), dry.stdout());

        Processes.Result asked = Processes.run(List.of("dash", file.toString(), "--change-identity"));
        assertEquals(0, asked.exitCode(), asked.stderr());
        assertFalse(Files.exists(machineId), asked.stdout());
        assertFalse(Files.exists(dbus), asked.stdout());
        assertTrue(Files.exists(setup), asked.stdout());
        assertEquals("netready: done. Run the probe again to see the new verdict.", lastLine(asked.stdout()));

        assertEquals(2, Processes.run(List.of("dash", file.toString(), "--yes")).exitCode(), "unknown flags are refused");
    }

    /** A machine-id finding stored before identity changes were marked: its plain commands are guarded all the same. */
    @Test
    void aStoredIdentityFixFromBeforeTheMarkerIsGuardedToo() throws IOException {
        Path machineId = Files.writeString(dir.resolve("machine-id"), "cb3088d93019f29037596693b894437b\n");
        Finding old = new Finding("unique-machine-id", Scope.CLUSTER, Status.FAIL, Severity.ERROR,
                "1 other node(s) have the same machine-id cb3088d93019f29037596693b894437b", List.of(),
                new Remediation("# On the cloned node: regenerate the machine-id, then reboot.\nrm -f " + machineId + "\n",
                        List.of()));
        String script = FixScript.render(report("old"), "platform", List.of(old), Instant.EPOCH);
        assertTrue(script.contains("\nchange_identity 'rm -f " + machineId + "'\n"), script);
        assertTrue(script.contains("#   unique-machine-id: the node's identity"), script);
        Path file = Files.writeString(dir.resolve("fix-old.sh"), script);
        Processes.Result plain = Processes.run(List.of("dash", file.toString()));
        assertEquals(0, plain.exitCode(), plain.stderr());
        assertTrue(Files.exists(machineId), plain.stdout());
    }

    private static io.netready.rules.NodeIdentity identity(long id, String host, java.time.Instant since) {
        return new io.netready.rules.NodeIdentity(id, id, host, "cb3088d93019f29037596693b894437b", null, "10.0.0." + id,
                1500, List.of(), List.of(), List.of(), List.of(), List.of(), "preflight", List.of(),
                new io.netready.rules.IdentitySince(since, since, since, since, List.of()));
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }

    private static Report report(String hostname) {
        Report report = new Report();
        report.id = 7L;
        report.hostname = hostname;
        report.collectedAt = Instant.EPOCH;
        report.role = "worker";
        report.phase = "preflight";
        return report;
    }
}
