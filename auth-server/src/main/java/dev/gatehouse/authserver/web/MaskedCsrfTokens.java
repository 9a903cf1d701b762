package dev.gatehouse.authserver.web;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Spring Security's masked CSRF tokens (the default,
 * {@link XorCsrfTokenRequestAttributeHandler}), where a sent token that cannot be
 * unmasked counts as no token: a 403, as for a missing or wrong one. Spring's handler
 * throws for a token of the right length whose unmasked bytes are not UTF-8, and nothing
 * catches that, so anyone could turn any form post into a 500 with a stack trace in the
 * log.
 */
public final class MaskedCsrfTokens implements CsrfTokenRequestHandler {

    private final XorCsrfTokenRequestAttributeHandler delegate = new XorCsrfTokenRequestAttributeHandler();

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> csrfToken) {
        this.delegate.handle(request, response, csrfToken);
    }

    @Override
    public @Nullable String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken csrfToken) {
        try {
            return this.delegate.resolveCsrfTokenValue(request, csrfToken);
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
    }

}
