package io.netready.rules.node;

import java.util.Map;

import io.netready.rules.Shell;
import io.netready.rules.Snippet;

/** Setting sysctls now and after a reboot. Keys and values are netready's own constants, never report values. */
final class SysctlFix {

    private SysctlFix() {
    }

    static Snippet apply(Snippet snippet, String file, Map<String, String> values) {
        StringBuilder now = new StringBuilder("sysctl -w");
        StringBuilder persist = new StringBuilder("printf '%s\\n'");
        values.forEach((key, value) -> {
            now.append(' ').append(Shell.arg(key + "=" + value));
            persist.append(' ').append(Shell.quote(key + " = " + value));
        });
        return snippet.run(now.toString())
                .why("Keep it after a reboot (netready's own file, rewritten whole: running this twice is harmless).")
                .run(persist + " > /etc/sysctl.d/" + file);
    }
}
