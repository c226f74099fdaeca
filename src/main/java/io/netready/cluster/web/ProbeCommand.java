package io.netready.cluster.web;

/** The command a node runs to probe itself and upload to this portal. */
public final class ProbeCommand {

    private ProbeCommand() {
    }

    /** {@code curl -fsSL https://portal/probe.sh | sh -s -- --server https://portal --token <token> --role worker} */
    public static String forPortal(String baseUrl, String token) {
        return "curl -fsSL " + baseUrl + "/probe.sh | sh -s -- --server " + baseUrl + " --token " + token
                + " --role worker";
    }
}
