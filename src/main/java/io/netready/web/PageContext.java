package io.netready.web;

/** What every page's layout needs: who is logged in, whether to show admin controls, and the title. */
public record PageContext(String user, boolean admin, String title) {

    public PageContext titled(String newTitle) {
        return new PageContext(user, admin, newTitle);
    }
}
