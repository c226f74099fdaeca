package io.netready.upload;

import java.time.Instant;
import java.util.List;

import io.netready.rules.Finding;

/**
 * What the portal answers to an upload.
 *
 * @param duplicate true when this report id had been uploaded before; nothing new was stored
 * @param findings the node's findings, node and cluster rules
 */
public record UploadReceipt(long id, String cluster, String node, long nodeId, Instant receivedAt, String verdict,
        List<Finding> findings, String url, boolean duplicate) {
}
