package io.netready.facts;

import java.util.ArrayList;
import java.util.List;

/** The nameservers and search domains of a resolv.conf. */
public record Resolver(List<String> nameservers, List<String> search, String raw) {

    static Resolver parse(String text) {
        List<String> nameservers = new ArrayList<>();
        List<String> search = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            String[] t = line.split("\\s+");
            if (t.length >= 2 && t[0].equals("nameserver")) {
                nameservers.add(t[1]);
            } else if (t.length >= 2 && (t[0].equals("search") || t[0].equals("domain"))) {
                for (int i = 1; i < t.length; i++) {
                    search.add(t[i]);
                }
            }
        }
        return new Resolver(List.copyOf(nameservers), List.copyOf(search), text);
    }

    public static boolean isLoopback(String address) {
        return address.startsWith("127.") || address.equals("::1");
    }

    public boolean onlyLoopback() {
        return !nameservers.isEmpty() && nameservers.stream().allMatch(Resolver::isLoopback);
    }
}
