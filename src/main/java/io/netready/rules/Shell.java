package io.netready.rules;

import java.util.Optional;
import java.util.regex.Pattern;

import io.netready.net.Cidr;

/**
 * Values from reports are attacker-controlled. Before one goes into a remediation snippet it is validated against
 * what it claims to be (an IP, a CIDR, a port, an interface name, a hostname) and then shell-quoted; a value that
 * fails validation never reaches a command.
 */
public final class Shell {

    /** Linux interface names: at most 15 bytes, no '/', no whitespace; we allow the usual characters only. */
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,14}");
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

    private Shell() {
    }

    /** Single-quotes a value for POSIX sh; quotes inside become '\''. */
    public static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** Quotes only where needed, so plain values (10.0.0.1, eth0) stay readable. */
    public static String arg(String value) {
        return value.matches("[A-Za-z0-9_./:=@%+-]+") ? value : quote(value);
    }

    public static Optional<String> ipv4(String value) {
        return Cidr.parseAddress(value).filter(a -> a.getAddress().length == 4).map(a -> value);
    }

    public static Optional<String> ip(String value) {
        return Cidr.parseAddress(value).map(a -> value);
    }

    public static Optional<String> cidr(String value) {
        return Cidr.parse(value).map(c -> value);
    }

    public static Optional<String> interfaceName(String value) {
        return Optional.ofNullable(value).filter(v -> INTERFACE.matcher(v).matches());
    }

    public static Optional<String> hostname(String value) {
        return Optional.ofNullable(value).filter(v -> HOSTNAME.matcher(v).matches());
    }

    /** Table, chain and process names in firewall commands. */
    public static Optional<String> identifier(String value) {
        return Optional.ofNullable(value).filter(v -> IDENTIFIER.matcher(v).matches());
    }

    public static boolean isHostname(String value) {
        return value != null && HOSTNAME.matcher(value).matches();
    }
}
