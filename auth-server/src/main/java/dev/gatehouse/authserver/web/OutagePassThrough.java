package dev.gatehouse.authserver.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * Lets a database outage met inside Spring Authorization Server's user-info and OIDC
 * logout endpoints reach the {@link DatabaseUnavailableFilter}. Those two filters catch
 * every exception their providers throw and answer it as {@code invalid_request}, a 400
 * that names the failure ("Failed to obtain JDBC Connection") and drops its cause: a
 * client reads "your request is wrong" and does not retry. Here the providers wrap an
 * outage in an {@link OAuth2AuthenticationException}, the one exception those filters
 * pass on whole, and the error handler throws the outage again, out of the filter, to be
 * answered 503 with {@code Retry-After} and logged in one line like every other outage.
 * The handlers for everything else answer as SAS's own, which a configured handler
 * replaces.
 */
public final class OutagePassThrough {

    private static final HttpMessageConverter<OAuth2Error> ERRORS = new OAuth2ErrorHttpMessageConverter();

    private OutagePassThrough() {
    }

    /** {@code provider}, with a database outage wrapped for the error handler. */
    public static AuthenticationProvider provider(AuthenticationProvider provider) {
        return new AuthenticationProvider() {

            @Override
            public Authentication authenticate(Authentication authentication) {
                try {
                    return provider.authenticate(authentication);
                }
                catch (RuntimeException ex) {
                    if (DatabaseOutage.causeOf(ex) != null) {
                        throw new Outage(ex);
                    }
                    throw ex;
                }
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return provider.supports(authentication);
            }

        };
    }

    /**
     * The user-info endpoint's errors: an outage passed on, the rest as SAS answers them
     * (JSON; 401 for an invalid token, 403 for a missing scope, else 400).
     */
    public static AuthenticationFailureHandler userInfoErrors() {
        return (request, response, exception) -> {
            OAuth2Error error = passOutageOn(exception);
            HttpStatus status = switch (error.getErrorCode()) {
                case OAuth2ErrorCodes.INVALID_TOKEN -> HttpStatus.UNAUTHORIZED;
                case OAuth2ErrorCodes.INSUFFICIENT_SCOPE -> HttpStatus.FORBIDDEN;
                default -> HttpStatus.BAD_REQUEST;
            };
            ServletServerHttpResponse http = new ServletServerHttpResponse(response);
            http.setStatusCode(status);
            ERRORS.write(error, null, http);
        };
    }

    /**
     * The OIDC logout endpoint's errors: an outage passed on, the rest as SAS answers
     * them (the error page, 400).
     */
    public static AuthenticationFailureHandler logoutErrors() {
        return (request, response, exception) -> response.sendError(HttpStatus.BAD_REQUEST.value(),
                passOutageOn(exception).toString());
    }

    private static OAuth2Error passOutageOn(Exception exception) {
        if (exception instanceof Outage outage) {
            throw (RuntimeException) outage.getCause();
        }
        return ((OAuth2AuthenticationException) exception).getError();
    }

    private static final class Outage extends OAuth2AuthenticationException {

        Outage(RuntimeException database) {
            super(new OAuth2Error("temporarily_unavailable"), database);
        }

    }

}
