package io.netready.facts.firewall;

/** Port lists as the dumps print them: {@code 22}, {@code 30000:32767}, {@code 22,80:90} (multiport), {@code 80-90} (nft). */
final class Ports {

    private Ports() {
    }

    /** The first port of a spec ("8080", "8080-8090"), or 0. */
    static int first(String spec) {
        int[] range = range(spec);
        return range == null ? 0 : range[0];
    }

    /** {@code [from, to]}, or null when the spec is not numeric. An open end ({@code :1024}) runs to 0 or 65535. */
    static int[] range(String spec) {
        String t = spec.strip();
        int sep = t.indexOf(':');
        if (sep < 0) {
            sep = t.indexOf('-');
        }
        try {
            if (sep >= 0) {
                int from = sep == 0 ? 0 : Integer.parseInt(t.substring(0, sep));
                int to = sep == t.length() - 1 ? 65535 : Integer.parseInt(t.substring(sep + 1));
                return new int[] { Math.min(from, to), Math.max(from, to) };
            }
            int p = Integer.parseInt(t);
            return new int[] { p, p };
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
