package dev.gatehouse.authserver.token;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Token, revocation and client-authentication errors as Auth0 sends them: always a JSON
 * object with both {@code error} and {@code error_description} (spa-js shows the
 * description and parses every body as JSON, auth0-compatibility T-8, T-9), never an HTML
 * page or an empty body. SAS leaves the description out for most errors.
 */
public class TokenErrorResponseHandler implements AuthenticationFailureHandler {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Map<String, String> DESCRIPTIONS = Map.of(OAuth2ErrorCodes.INVALID_GRANT,
            "Invalid authorization code or grant.", OAuth2ErrorCodes.INVALID_CLIENT, "Client authentication failed.",
            OAuth2ErrorCodes.INVALID_REQUEST, "The request is missing a required parameter or is malformed.",
            OAuth2ErrorCodes.UNAUTHORIZED_CLIENT, "The client is not allowed to use this grant type.",
            OAuth2ErrorCodes.UNSUPPORTED_GRANT_TYPE, "Unsupported grant type.", OAuth2ErrorCodes.INVALID_SCOPE,
            "The requested scope is invalid or not allowed.", OAuth2ErrorCodes.ACCESS_DENIED, "Access denied.",
            OAuth2ErrorCodes.UNSUPPORTED_TOKEN_TYPE, "Unsupported token type.");

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException {
        OAuth2Error error = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError()
                : new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST);
        String description = error.getDescription();
        if (description != null && description.startsWith("Client authentication failed: ")
                && OAuth2ErrorCodes.INVALID_GRANT.equals(error.getErrorCode())) {
            // SAS reports PKCE failures as failed client authentication of the public
            // client; say what failed.
            String parameter = description.substring("Client authentication failed: ".length());
            description = switch (parameter) {
                case "code" -> "Invalid authorization code";
                case "code_verifier" -> "Failed to verify code verifier";
                case "code_challenge" -> "The authorization request had no code_challenge (PKCE is required)";
                default -> description;
            };
        }
        if (description == null || description.isBlank() || description.startsWith("OAuth 2.0 Parameter: ")) {
            String parameter = description == null ? null : description.replace("OAuth 2.0 Parameter: ", "").trim();
            description = DESCRIPTIONS.getOrDefault(error.getErrorCode(), error.getErrorCode());
            if (parameter != null && !parameter.isEmpty()) {
                description = description + " (parameter: " + parameter + ")";
            }
        }
        int status = OAuth2ErrorCodes.INVALID_CLIENT.equals(error.getErrorCode()) ? HttpStatus.UNAUTHORIZED.value()
                : OAuth2ErrorCodes.ACCESS_DENIED.equals(error.getErrorCode()) ? HttpStatus.FORBIDDEN.value()
                        : HttpStatus.BAD_REQUEST.value();
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setHeader("Cache-Control", "no-store");
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error.getErrorCode());
        body.put("error_description", description);
        response.getWriter().write(JSON.writeValueAsString(body));
    }

}
