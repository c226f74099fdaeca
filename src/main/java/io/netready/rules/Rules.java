package io.netready.rules;

import java.util.List;

/** Helpers for writing rules: building their info and their findings. */
public abstract class Rules {

    protected final RuleInfo info;

    protected Rules(RuleInfo info) {
        this.info = info;
    }

    public RuleInfo info() {
        return info;
    }

    protected Finding pass(String message, List<Evidence> evidence) {
        return new Finding(info.id(), info.scope(), Status.PASS, info.severity(), message, evidence, Remediation.none());
    }

    protected Finding fail(String message, List<Evidence> evidence, Remediation remediation) {
        return new Finding(info.id(), info.scope(), Status.FAIL, info.severity(), message, evidence, remediation);
    }

    protected Finding warn(String message, List<Evidence> evidence, Remediation remediation) {
        return new Finding(info.id(), info.scope(), Status.WARN, info.severity(), message, evidence, remediation);
    }

    protected Finding skip(String reason) {
        return new Finding(info.id(), info.scope(), Status.SKIP, info.severity(), reason, List.of(), Remediation.none());
    }

    protected static Evidence evidence(String source, String text) {
        return new Evidence(source, text);
    }
}
