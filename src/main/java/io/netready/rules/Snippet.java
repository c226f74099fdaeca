package io.netready.rules;

import java.util.ArrayList;
import java.util.List;

/** Builds a remediation: commented commands, plus notes for values that could not be used. */
public final class Snippet {

    /**
     * Starts a command line that changes the node's identity (its machine-id, a MAC): a comment, so pasting the fix
     * runs nothing of it, and the fix script runs it only when given {@code --change-identity}.
     */
    public static final String IDENTITY_CHANGE = "#identity-change: ";

    /** Starts the comment line that says what an identity change breaks; the fix script's header repeats it. */
    public static final String BREAKS = "# Changing it breaks: ";

    private final StringBuilder script = new StringBuilder();
    private final List<String> notes = new ArrayList<>();

    /** A comment line: why the next commands are there. Comment text never holds raw report values. */
    public Snippet why(String comment) {
        if (!script.isEmpty()) {
            script.append('\n');
        }
        script.append("# ").append(comment.replace("\n", " ")).append('\n');
        return this;
    }

    /** A command line, assembled by the caller from constants and {@link Shell}-validated, quoted values only. */
    public Snippet run(String command) {
        script.append(command).append('\n');
        return this;
    }

    /**
     * Commands that change the node's identity, never run by default: {@code breaks} says what stops working (the
     * DHCP lease, the kubelet's identity, …); the commands follow as {@link #IDENTITY_CHANGE} lines.
     */
    public Snippet changeIdentity(String breaks, String... commands) {
        script.append(BREAKS).append(breaks.replace("\n", " ")).append('\n');
        script.append("# The fix script runs the next commands only with --change-identity; by hand, remove the '")
                .append(IDENTITY_CHANGE.strip()).append("' before each.\n");
        for (String command : commands) {
            script.append(IDENTITY_CHANGE).append(command).append('\n');
        }
        return this;
    }

    /** A note for the reader; the same note twice is kept once. */
    public Snippet note(String note) {
        if (!notes.contains(note)) {
            notes.add(note);
        }
        return this;
    }

    public Remediation build() {
        return new Remediation(script.isEmpty() ? null : script.toString(), List.copyOf(notes));
    }
}
