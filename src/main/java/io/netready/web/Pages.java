package io.netready.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.netready.security.CsrfTokens;
import io.netready.security.CurrentUser;

/** Builds the {@link PageContext} of the current request and checks the CSRF token of submitted forms. */
@RequestScoped
public class Pages {

    @Inject
    CurrentUser user;

    @Inject
    CsrfTokens csrf;

    public PageContext context(String title) {
        user.requireMember();
        return new PageContext(user.name(), user.isAdmin(), csrf.tokenFor(user.name()), title);
    }

    /** Every form POST calls this first. */
    public void verifyForm(String token) {
        csrf.verify(user.name(), token);
    }
}
