package dev.gatehouse.authserver.authorize;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

import dev.gatehouse.authserver.client.TenantRegisteredClientRepository;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Sends the result of {@code /authorize} to the client in the requested
 * {@code response_mode}:
 * <ul>
 * <li>{@code query}: 302 to {@code redirect_uri?code=..&state=..} (or {@code error},
 * {@code error_description}, {@code state}), every value percent-encoded so {@code +} and
 * {@code =} in spa-js's base64 {@code state} come back byte-exact (auth0-compatibility
 * A-5, T-1, T-2);</li>
 * <li>{@code web_message}: a 200 HTML page (template {@code web-message.html}, values
 * escaped by Thymeleaf's JavaScript inlining) whose nonce-tagged script posts
 * {@code {type:'authorization_response', response:{..}}} to the opener or parent at the
 * redirect URI's origin (auth0-compatibility S-4). Only this page may be framed, and only
 * by the client's web origins.</li>
 * <li>{@code fragment}: 302 to {@code redirect_uri#code=..&state=..}, encoded the same
 * way;</li>
 * <li>{@code form_post} (OAuth 2.0 Form Post Response Mode): a 200 HTML page (template
 * {@code form-post.html}) whose form posts the values to the redirect URI at once, for
 * server-side clients that read the callback from a POST body.</li>
 * </ul>
 * Errors with no trusted redirect URI (unknown client, unregistered redirect URI) become
 * an error page.
 *
 * <p>
 * Hand-written because SAS's handlers are private and know neither {@code web_message}
 * nor Auth0's error page.
 */
public class AuthorizationResponses implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

    public static final String WEB_MESSAGE = "web_message";

    private static final String FRAGMENT = "fragment";

    private static final String FORM_POST = "form_post";

    /** The response modes sent here, as discovery lists them; others are refused. */
    public static final List<String> RESPONSE_MODES = List.of("query", FRAGMENT, FORM_POST, WEB_MESSAGE);

    /**
     * Request attribute: this response may be framed (the X-Frame-Options writer skips
     * it).
     */
    public static final String FRAMEABLE = AuthorizationResponses.class.getName() + ".frameable";

    /** Request attributes the error page reads. */
    public static final String ERROR_CODE = "gatehouse.error";

    public static final String ERROR_DESCRIPTION = "gatehouse.error_description";

    private static final OAuth2TokenType CODE = new OAuth2TokenType("code");

    private static final SecureRandom RANDOM = new SecureRandom();

    private final OAuth2AuthorizationService authorizations;

    private final RegisteredClientRepository clients;

    private final ITemplateEngine templates;

    public AuthorizationResponses(OAuth2AuthorizationService authorizations, RegisteredClientRepository clients,
            ITemplateEngine templates) {
        this.authorizations = authorizations;
        this.clients = clients;
        this.templates = templates;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) throws IOException {
        OAuth2AuthorizationCodeRequestAuthenticationToken result = (OAuth2AuthorizationCodeRequestAuthenticationToken) authentication;
        String code = result.getAuthorizationCode().getTokenValue();
        String responseMode = request.getParameter("response_mode");
        if (responseMode == null && "POST".equals(request.getMethod())) {
            // The consent form posts back without the original parameters: read them from
            // the stored request.
            OAuth2Authorization authorization = this.authorizations.findByToken(code, CODE);
            OAuth2AuthorizationRequest original = authorization == null ? null
                    : authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
            responseMode = original == null ? null : (String) original.getAdditionalParameters().get("response_mode");
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("code", code);
        if (result.getState() != null) {
            values.put("state", result.getState());
        }
        send(request, response, result.getClientId(), result.getRedirectUri(), responseMode, values);
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException {
        if (!(exception instanceof OAuth2AuthorizationCodeRequestAuthenticationException ex)
                || ex.getAuthorizationCodeRequestAuthentication() == null
                || ex.getAuthorizationCodeRequestAuthentication().getRedirectUri() == null
                || ex.getAuthorizationCodeRequestAuthentication().getRedirectUri().isEmpty()) {
            OAuth2Error error = exception instanceof org.springframework.security.oauth2.core.OAuth2AuthenticationException o
                    ? o.getError() : new OAuth2Error("invalid_request");
            errorPage(request, response, error);
            return;
        }
        OAuth2AuthorizationCodeRequestAuthenticationToken request0 = ex.getAuthorizationCodeRequestAuthentication();
        sendError(request, response, request0.getClientId(), request0.getRedirectUri(), request0.getState(),
                request.getParameter("response_mode"), ex.getError());
    }

    /** Sends an error to a trusted redirect URI in the given response mode. */
    public void sendError(HttpServletRequest request, HttpServletResponse response, String clientId, String redirectUri,
            @Nullable String state, @Nullable String responseMode, OAuth2Error error) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("error", error.getErrorCode());
        values.put("error_description", error.getDescription() != null ? error.getDescription() : error.getErrorCode());
        if (state != null) {
            values.put("state", state);
        }
        send(request, response, clientId, redirectUri, responseMode, values);
    }

    /**
     * Renders the error page (status 400) for a request that cannot be answered at a
     * redirect URI.
     */
    public static void errorPage(HttpServletRequest request, HttpServletResponse response, OAuth2Error error)
            throws IOException {
        request.setAttribute(ERROR_CODE, error.getErrorCode());
        request.setAttribute(ERROR_DESCRIPTION, describe(error));
        response.sendError(HttpStatus.BAD_REQUEST.value(), describe(error));
    }

    private static String describe(OAuth2Error error) {
        String description = error.getDescription();
        if (description == null || description.isEmpty()) {
            return error.getErrorCode();
        }
        if (description.startsWith("OAuth 2.0 Parameter: ")) {
            String parameter = description.substring("OAuth 2.0 Parameter: ".length());
            return switch (parameter) {
                case "client_id" -> "Unknown client: the application is not registered with this server.";
                case "redirect_uri" ->
                    "The redirect_uri is not registered for this application (Allowed Callback URLs).";
                default -> "Invalid or missing parameter: " + parameter;
            };
        }
        return description;
    }

    private void send(HttpServletRequest request, HttpServletResponse response, String clientId, String redirectUri,
            @Nullable String responseMode, Map<String, String> values) throws IOException {
        if (WEB_MESSAGE.equals(responseMode)) {
            RegisteredClient client = this.clients.findByClientId(clientId);
            List<String> webOrigins = client == null ? List.of()
                    : TenantRegisteredClientRepository.tenantClient(client).webOrigins();
            webMessage(request, response, redirectUri, webOrigins, values);
            return;
        }
        if (FORM_POST.equals(responseMode)) {
            formPost(response, redirectUri, values);
            return;
        }
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(redirectUri);
        if (FRAGMENT.equals(responseMode)) {
            StringJoiner fragment = new StringJoiner("&");
            values.forEach((name, value) -> fragment.add(name + "=" + UriUtils.encode(value, StandardCharsets.UTF_8)));
            uri.fragment(fragment.toString());
        }
        else {
            values.forEach((name, value) -> uri.queryParam(name, UriUtils.encode(value, StandardCharsets.UTF_8)));
        }
        response.setHeader("Cache-Control", "no-store");
        response.sendRedirect(uri.build(true).toUriString());
    }

    /**
     * OAuth 2.0 Form Post Response Mode: a page whose form posts the values to the
     * redirect URI at once. The page may post only there and is never framed.
     */
    private void formPost(HttpServletResponse response, String redirectUri, Map<String, String> values)
            throws IOException {
        String target = origin(redirectUri);
        Context page = new Context(Locale.ENGLISH);
        page.setVariable("action", redirectUri);
        page.setVariable("values", values);
        scriptPage(response, "form-post", page,
                "form-action " + (target == null ? "'none'" : target) + "; frame-ancestors 'none'");
    }

    private void webMessage(HttpServletRequest request, HttpServletResponse response, String redirectUri,
            List<String> webOrigins, Map<String, String> values) throws IOException {
        request.setAttribute(FRAMEABLE, Boolean.TRUE);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "authorization_response");
        message.put("response", values);
        Context page = new Context(Locale.ENGLISH);
        page.setVariable("message", message);
        page.setVariable("targetOrigin", origin(redirectUri));
        scriptPage(response, "web-message", page,
                "frame-ancestors " + (webOrigins.isEmpty() ? "'none'" : String.join(" ", webOrigins)));
    }

    /**
     * Renders {@code template}, an answer page whose one script runs by a fresh nonce:
     * nothing else loads or runs, and {@code directives} add what the page may do
     * besides.
     */
    private void scriptPage(HttpServletResponse response, String template, Context page, String directives)
            throws IOException {
        byte[] nonceBytes = new byte[16];
        RANDOM.nextBytes(nonceBytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(nonceBytes);
        response.setStatus(HttpStatus.OK.value());
        response.setContentType(MediaType.TEXT_HTML_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Content-Security-Policy",
                "default-src 'none'; script-src 'nonce-" + nonce + "'; " + directives);
        page.setVariable("nonce", nonce);
        this.templates.process(template, page, response.getWriter());
    }

    /**
     * The origin ({@code scheme://host[:port]}) of a URI, or {@code null} if it has none.
     */
    public static @Nullable String origin(@Nullable String uri) {
        if (uri == null) {
            return null;
        }
        try {
            URI parsed = URI.create(uri);
            if (parsed.getScheme() == null || parsed.getHost() == null) {
                return null;
            }
            return parsed.getScheme() + "://" + parsed.getHost()
                    + (parsed.getPort() == -1 ? "" : ":" + parsed.getPort());
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
    }

    /**
     * The redirect URI a request will be answered at: the one it named, else the client's
     * first callback.
     */
    public static String redirectUri(OAuth2AuthorizationCodeRequestAuthenticationToken request,
            RegisteredClient client) {
        return request.getRedirectUri() != null && !request.getRedirectUri().isEmpty() ? request.getRedirectUri()
                : client.getRedirectUris().iterator().next();
    }

}
