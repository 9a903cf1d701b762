package dev.gatehouse.api.token;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;

/**
 * A bearer request refused for want of DPoP: answered with a {@code DPoP} challenge (RFC
 * 9449 section 7.1) rather than a {@code Bearer} one, so the client learns which scheme
 * would work.
 */
public final class DPoPTokenRejection extends OAuth2AuthenticationException implements TokenRejection {

    private static final long serialVersionUID = 1L;

    DPoPTokenRejection(String description) {
        super(BearerTokenErrors.invalidToken(description), description);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

}
