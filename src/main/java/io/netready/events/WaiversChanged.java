package io.netready.events;

/**
 * A waiver was created or revoked: the verdicts of the nodes it covers must be worked out again. Fired inside the
 * transaction that changed the waiver, so observers that update verdicts commit (or roll back) with it.
 *
 * @param clusterId the waiver's cluster
 * @param nodeId the node it covers, or null when it covers every node of the cluster
 */
public record WaiversChanged(long clusterId, Long nodeId) {
}
