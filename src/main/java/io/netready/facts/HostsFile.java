package io.netready.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The entries of /etc/hosts. */
public record HostsFile(List<Entry> entries) {

    /** One address with its names, and the line it came from. */
    public record Entry(String address, List<String> names, String line) {
    }

    static HostsFile parse(String text) {
        List<Entry> entries = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.contains("#") ? raw.substring(0, raw.indexOf('#')) : raw;
            String[] t = line.strip().split("\\s+");
            if (t.length >= 2) {
                List<String> names = new ArrayList<>();
                for (int i = 1; i < t.length; i++) {
                    names.add(t[i].toLowerCase(Locale.ROOT));
                }
                entries.add(new Entry(t[0], names, raw.strip()));
            }
        }
        return new HostsFile(List.copyOf(entries));
    }

    public List<Entry> lookup(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return entries.stream().filter(e -> e.names().contains(n)).toList();
    }
}
