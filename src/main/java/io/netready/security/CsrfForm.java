package io.netready.security;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** The signed-in user's CSRF token for the {@code form} tag: {@code {inject:csrf.token}}. */
@Named("csrf")
@RequestScoped
public class CsrfForm {

    @Inject
    CsrfTokens tokens;

    @Inject
    CurrentUser user;

    public String token() {
        return tokens.tokenFor(user.name());
    }

    public String field() {
        return CsrfTokens.FORM_FIELD;
    }
}
