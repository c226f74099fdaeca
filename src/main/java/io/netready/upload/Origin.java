package io.netready.upload;

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

    /** How the audit log names who uploaded: the user, or the upload token. */
    String actor() {
        return user != null ? user : "token:" + tokenName;
    }
}
