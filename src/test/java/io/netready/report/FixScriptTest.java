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
