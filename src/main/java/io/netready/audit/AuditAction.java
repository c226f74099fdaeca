package io.netready.audit;

import java.util.List;

/** The actions the audit trail records. */
public final class AuditAction {

    public static final String LOGIN = "login";
    public static final String LOGOUT = "logout";
    public static final String UPLOAD = "upload";
    public static final String CLUSTER_CREATE = "cluster.create";
    public static final String SETTINGS_CHANGE = "settings.change";
    public static final String TOKEN_CREATE = "token.create";
    public static final String TOKEN_REVOKE = "token.revoke";
    public static final String WAIVER_CREATE = "waiver.create";
    public static final String WAIVER_REVOKE = "waiver.revoke";
    public static final String REEVALUATE = "reevaluate";
    public static final String RETENTION = "retention";
    public static final String SESSION_REVOKE = "session.revoke";

    public static final List<String> ALL = List.of(LOGIN, LOGOUT, UPLOAD, CLUSTER_CREATE, SETTINGS_CHANGE, TOKEN_CREATE,
            TOKEN_REVOKE, WAIVER_CREATE, WAIVER_REVOKE, REEVALUATE, RETENTION,
            SESSION_REVOKE);

    private AuditAction() {
    }
}
