package io.netready.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.netready.security.CurrentUser;

/** Builds the {@link PageContext} of the current request (forms are checked by {@code security/CsrfFilter}). */
@RequestScoped
public class Pages {

    @Inject
    CurrentUser user;

    public PageContext context(String title) {
        user.requireMember();
        return new PageContext(user.name(), user.isAdmin(), title);
    }
}
