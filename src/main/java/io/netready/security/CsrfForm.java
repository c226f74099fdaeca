package io.netready.security;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** The signed-in session's CSRF token for the {@code form} tag: {@code {inject:csrf.token}}. */
@Named("csrf")
@RequestScoped
public class CsrfForm {

    @Inject
    CsrfTokens tokens;

    public String token() {
        return tokens.token();
    }

    public String field() {
        return CsrfTokens.FORM_FIELD;
    }
}
