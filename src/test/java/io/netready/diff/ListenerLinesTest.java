package io.netready.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.netready.facts.NodeFacts;
import io.netready.reportformat.ReportReader;

/**
 * Which listeners a diff compares, on real probe reports: ss output of the run-variants node (an ephemeral loopback
 * port left out, the kubelet and a fixed loopback UDP port kept) and netstat output of the parser fixtures (every
 * server socket kept: none is ephemeral, UDP sockets have no state column there).
 */
class ListenerLinesTest {

    private static final ReportReader READER = new ReportReader(64 * 1024 * 1024);

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "run-variants/root-worker.json; tcp 0.0.0.0:10250 kubelet|udp 127.0.0.1:323 chronyd",
            "run-variants/nobody-worker.json; tcp 0.0.0.0:10250|udp 127.0.0.1:323",
            "parser-fixtures/basic/nettools.json; tcp 0.0.0.0:10250 kubelet|tcp 10.213.50.2:6443 kube-apiserve|udp 0.0.0.0:8472 flanneld",
            "parser-fixtures/many/nettools.json; tcp 0.0.0.0:179 calico-node|tcp 127.0.0.1:10257 kube-controll|tcp :::10250 kubelet"
                    + "|udp 0.0.0.0:4789|udp 0.0.0.0:8472" })
    void listenersOfRealReports(String file, String expected) throws IOException {
        NodeFacts facts = NodeFacts.from(READER.parse(Files.readAllBytes(Path.of("src/test/resources", file))));
        assertEquals(List.of(expected.split("\\|")), FactLines.of(facts).get(FactLines.LISTENERS));
    }
}
