package io.netready.facts.firewall;

/** A match's answer for one packet: it matches, it does not, or netready cannot tell (an ipset's members, say). */
enum Tri {
    YES, NO, MAYBE;

    static Tri of(boolean value) {
        return value ? YES : NO;
    }

    Tri not() {
        return this == YES ? NO : this == NO ? YES : MAYBE;
    }

    Tri or(Tri other) {
        if (this == YES || other == YES) {
            return YES;
        }
        return this == NO && other == NO ? NO : MAYBE;
    }

    Tri and(Tri other) {
        if (this == NO || other == NO) {
            return NO;
        }
        return this == YES && other == YES ? YES : MAYBE;
    }
}
