package io.netready.upload;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.netready.cluster.Cluster;
import io.netready.config.NetreadyConfig;
import io.netready.readiness.ReadinessService;
import io.netready.readiness.ReadinessService.NodeEvaluation;
import io.netready.reportformat.ReportDocument;
import io.netready.reportformat.ReportReader;

/**
 * The one way a report gets in, whichever way it arrived (the upload API, a file uploaded on the cluster page): read
 * and validated, judged by the node rules, then stored with the cluster rules' findings in one transaction.
 */
@ApplicationScoped
public class UploadService {

    private final ReportReader reader;
    private final ReadinessService readiness;
    private final UploadTransaction transaction;

    @Inject
    public UploadService(NetreadyConfig config, ReadinessService readiness, UploadTransaction transaction) {
        this.reader = new ReportReader(config.upload().maxBytes());
        this.readiness = readiness;
        this.transaction = transaction;
    }

    /**
     * Reads the body (JSON, gzip'd or not) as it streams in, judges it and stores it for the cluster. Bad input is a
     * 4xx {@link io.netready.api.ProblemException} and stores nothing.
     */
    public Stored upload(Cluster cluster, InputStream body, String contentType, String contentEncoding, Origin origin) {
        Instant arrived = Instant.now();
        ReportReader.Read read = reader.read(body, contentType, contentEncoding);
        ReportDocument document = read.document();
        Duration clockOffset = clockOffset(origin, read, arrived);
        NodeEvaluation evaluation = readiness.evaluateNode(document, cluster.settings(), clockOffset);
        Stored stored = transaction.store(cluster, document, evaluation, read.bytes(), origin, clockOffset);
        return stored.duplicate() ? stored.withFindings(readiness.storedFindings(stored.reportId())) : stored;
    }

    /**
     * How far the node's clock is behind the portal's (negative: ahead): when the request arrived minus when the probe
     * finished collecting by the node's clock. Only for the probe's direct uploads, which leave the node right after
     * collecting; a spooled, retried or file upload is late by design, and says nothing about the clock.
     */
    static Duration clockOffset(Origin origin, ReportReader.Read read, Instant arrived) {
        if (!origin.direct() || read.durationMs() == null) {
            return null;
        }
        Instant finished = read.document().collectedAt().plusMillis(read.durationMs());
        return Duration.between(finished, arrived);
    }
}
