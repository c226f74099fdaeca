package io.netready.upload;

import java.net.InetAddress;
import java.util.Optional;

import io.netready.net.Cidr;

/**
 * Who sent a report: an upload token from a node, or a signed-in user in the browser; and from which address.
 *
 * @param direct the probe uploaded the report it had just collected, at its first try ({@code X-Netready-Upload:
 *        direct}): only then does the receipt time say something about the node's clock
 */
public record Origin(Long tokenId, String tokenName, String user, String address, boolean direct) {

    /** The header the probe marks its uploads with: direct, retried or spooled. */
    public static final String UPLOAD_HEADER = "X-Netready-Upload";

    public static Origin token(long tokenId, String tokenName, String address, String uploadKind) {
        return new Origin(tokenId, tokenName, null, address, "direct".equals(uploadKind));
    }

    public static Origin user(String user, String address) {
        return new Origin(null, null, user, address, false);
    }

    /**
     * Whether a node's upload came from the address it reports as its node IP: then a reachability plan may send its
     * peers there. A user's file upload vouches for nothing.
     */
    boolean uploadedFrom(String nodeIp) {
        if (tokenId == null || address == null || nodeIp == null) {
            return false;
        }
        Optional<InetAddress> from = Cidr.parseAddress(address);
        return from.isPresent() && from.equals(Cidr.parseAddress(nodeIp));
    }

    /** How the audit log names who uploaded: the user, or the upload token. */
    String actor() {
        return user != null ? user : "token:" + tokenName;
    }
}
