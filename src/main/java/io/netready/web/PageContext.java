package io.netready.web;

/** What every page's layout needs: who is logged in, whether to show admin controls, the CSRF token for forms. */
public record PageContext(String user, boolean admin, String csrf, String title) {

    public PageContext titled(String newTitle) {
        return new PageContext(user, admin, csrf, newTitle);
    }
}
