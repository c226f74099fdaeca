package io.netready.upload;

/** Who sent a report: an upload token from a node, or a signed-in user in the browser; and from which address. */
public record Origin(Long tokenId, String tokenName, String user, String address) {

    public static Origin token(long tokenId, String tokenName, String address) {
        return new Origin(tokenId, tokenName, null, address);
    }

    public static Origin user(String user, String address) {
        return new Origin(null, null, user, address);
    }

    /** How the audit log names who uploaded: the user, or the upload token. */
    String actor() {
        return user != null ? user : "token:" + tokenName;
    }
}
