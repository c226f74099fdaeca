package io.netready.rules;

import java.util.ArrayList;
import java.util.List;

/** Builds a remediation: commented commands, plus notes for values that could not be used. */
public final class Snippet {

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
