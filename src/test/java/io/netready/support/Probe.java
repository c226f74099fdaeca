package io.netready.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The real probe script, run on this machine or in a test namespace. */
public final class Probe {

    public static final Path SCRIPT = Path.of("src/main/resources/probe/netready-probe.sh").toAbsolutePath();
    public static final ObjectMapper JSON = new ObjectMapper();
    private static String hostReport;

    private Probe() {
    }

    /** Runs the probe with {@code shell} (dash, bash, "busybox sh") after {@code prefix} (e.g. ip netns exec). */
    public static Processes.Result run(List<String> prefix, String shell, String... args) {
        if (!Files.isRegularFile(SCRIPT)) {
            throw new IllegalStateException("probe script not found at " + SCRIPT);
        }
        List<String> command = new ArrayList<>(prefix);
        // Each run spools failed uploads in a directory of its own: the machine's spool is not the tests' business.
        command.addAll(List.of("env", "NETREADY_SPOOL_DIR=" + spoolDir()));
        command.addAll(List.of(shell.split(" ")));
        command.add(SCRIPT.toString());
        command.addAll(List.of(args));
        return Processes.run(command, 120);
    }

    private static String spoolDir() {
        try {
            return Files.createTempDirectory("netready-spool").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A report the probe made on this machine (once per test run): real command output. */
    public static synchronized String hostReport() {
        if (hostReport == null) {
            hostReport = run(List.of(), "dash", "--output", "-", "--quiet").orFail("probe --output -").stdout();
        }
        return hostReport;
    }

    /** The host report as a tree, to change one field for a test. */
    public static ObjectNode hostReportTree() {
        try {
            return (ObjectNode) JSON.readTree(hostReport());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The host report under a new report id, so it is stored as a new run. */
    public static String hostReportWithId(String reportId) {
        ObjectNode tree = hostReportTree();
        tree.put("reportId", reportId);
        return tree.toString();
    }
}
