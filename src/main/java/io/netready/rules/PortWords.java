package io.netready.rules;

import java.util.Collection;
import java.util.stream.Collectors;

/** Port lists in messages, singular or plural as the list is: "port 10250", "ports 10250, 10257", "ports 30000-32767". */
public final class PortWords {

    private PortWords() {
    }

    /** "port 10250" for one port; "ports …" for several, or for one range. */
    public static String ports(Collection<?> ports) {
        return (one(ports) ? "port " : "ports ") + ports.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** A sentence about the ports: "Port 10250 is free", "Ports 10250, 10257 are free". */
    public static String are(Collection<?> ports, String what) {
        String subject = ports(ports);
        return Character.toUpperCase(subject.charAt(0)) + subject.substring(1) + (one(ports) ? " is " : " are ") + what;
    }

    private static boolean one(Collection<?> ports) {
        return ports.size() == 1 && !String.valueOf(ports.iterator().next()).matches("\\d+-\\d+.*");
    }
}
