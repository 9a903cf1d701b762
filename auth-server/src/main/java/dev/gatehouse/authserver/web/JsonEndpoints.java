package dev.gatehouse.authserver.web;

import java.util.Set;

import dev.gatehouse.authserver.config.AuthorizationServerConfig;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The endpoints whose clients read every answer as JSON: token, revocation,
 * introspection, userinfo and the SDK's passkey API. Whatever refuses a request there
 * before the endpoint answers (an outage, the container, a filter) answers with an OAuth
 * error object instead of a page.
 */
final class JsonEndpoints {

    private static final EndpointPaths OAUTH = EndpointPaths
        .of(Set.of(AuthorizationServerConfig.TOKEN, AuthorizationServerConfig.REVOKE,
                AuthorizationServerConfig.INTROSPECT, AuthorizationServerConfig.USERINFO));

    private static final EndpointPaths PASSKEY_API = EndpointPaths.under("/passkey/");

    private JsonEndpoints() {
    }

    static boolean matches(HttpServletRequest request) {
        return OAUTH.matches(request) || PASSKEY_API.matches(request);
    }

    /** For a path known as text only (the error page's original request). */
    static boolean matchesPath(String path) {
        return OAUTH.matchesPath(path) || PASSKEY_API.matchesPath(path);
    }

}
