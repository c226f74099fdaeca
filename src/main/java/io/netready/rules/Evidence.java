package io.netready.rules;

/** A fact or raw line that decided a finding, and the report section (or peer node) it came from. */
public record Evidence(String source, String text) {
}
