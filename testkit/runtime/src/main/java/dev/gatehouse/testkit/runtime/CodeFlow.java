package dev.gatehouse.testkit.runtime;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.FormElement;

import dev.gatehouse.authserver.tenant.ResourceServer;
import dev.gatehouse.authserver.tenant.TenantClient;
import dev.gatehouse.authserver.tenant.TenantDirectory;

/**
 * The authorization code flow with PKCE as a browser runs it, over HTTP and without one:
 * the authorization request an Auth0 SDK sends, the real login page (its form, with its
 * CSRF field), the real consent page (accepted or declined), the redirect back to the
 * client's callback, and the code exchange at the token endpoint.
 *
 * <p>
 * The request map: {@code email}, {@code password} (required); {@code clientId} (default:
 * the tenant's only application that logs users in), {@code clientSecret} (a confidential
 * client's), {@code redirectUri} (default: the client's first callback), {@code audience}
 * (default: the tenant's only API; empty for none), {@code scope} (default:
 * {@code openid profile email}, {@code offline_access} where the API allows it, and every
 * scope of the API), {@code consent} ({@code accept} or {@code decline}),
 * {@code parameters} (more authorization request parameters).
 *
 * <p>
 * The answer: the token endpoint's {@code status} and JSON {@code body}; or, when the
 * flow stops before, {@code error} and {@code error_description} ({@code login_failed}
 * with the login page's message, or what the server sent to the callback, e.g.
 * {@code access_denied}).
 */
final class CodeFlow {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final int MAX_HOPS = 12;

    private final HeadlessBrowser browser;

    private final TenantDirectory tenants;

    private final Map<String, Object> request;

    CodeFlow(String issuer, TenantDirectory tenants, Map<String, Object> request) {
        this.browser = new HeadlessBrowser(issuer);
        this.tenants = tenants;
        this.request = request;
    }

    Map<String, Object> run() {
        String email = required("email");
        String password = required("password");
        TenantClient client = client();
        String redirectUri = text("redirectUri", client.callbacks().isEmpty() ? null : client.callbacks().get(0));
        if (redirectUri == null) {
            throw new IllegalArgumentException(
                    "Client " + client.clientId() + " has no callback URL: give a redirect URI");
        }
        String audience = audience();
        String verifier = random(32);
        String state = random(16);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_id", client.clientId());
        params.put("redirect_uri", redirectUri);
        params.put("response_type", "code");
        params.put("response_mode", "query");
        params.put("scope", text("scope", defaultScope(client, audience)));
        if (audience != null) {
            params.put("audience", audience);
        }
        params.put("state", state);
        params.put("nonce", random(16));
        params.put("code_challenge", challenge(verifier));
        params.put("code_challenge_method", "S256");
        if (this.request.get("parameters") instanceof Map<?, ?> more) {
            more.forEach((name, value) -> params.put((String) name, (String) value));
        }
        List<Map.Entry<String, String>> query = new ArrayList<>(params.entrySet());
        URI next = this.browser.resolve("/authorize?" + HeadlessBrowser.encode(query));

        HttpResponse<String> response = this.browser.get(next);
        boolean loggedIn = false;
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            if (response.statusCode() / 100 == 3) {
                URI location = this.browser.resolve(response.headers().firstValue("Location").orElse("/"));
                if (!this.browser.isServer(location)) {
                    return callback(location, state, client, redirectUri, verifier);
                }
                response = this.browser.get(location);
                continue;
            }
            Document page = Jsoup.parse(response.body(), response.uri().toString());
            Optional<FormElement> login = form(page, "input[name=password]");
            if (login.isPresent()) {
                if (loggedIn) {
                    return error("login_failed",
                            pageText(page, "#login-error", "The login page came back after signing in"));
                }
                loggedIn = true;
                response = submit(login.get(), Map.of("email", email, "password", password));
                continue;
            }
            Optional<FormElement> accept = form(page, "[data-testid=consent-accept]");
            if (accept.isPresent()) {
                if ("decline".equals(this.request.get("consent"))) {
                    FormElement decline = form(page, "[data-testid=consent-decline]")
                        .orElseThrow(() -> new IllegalStateException("The consent page has no Decline form"));
                    response = submit(decline, Map.of());
                }
                else {
                    response = submit(accept.get(), Map.of());
                }
                continue;
            }
            return error("unexpected_page", "The flow stopped at " + response.uri().getPath() + " (HTTP "
                    + response.statusCode() + "): " + pageText(page, "main", page.text()));
        }
        return error("too_many_redirects", "The flow did not reach the callback within " + MAX_HOPS + " steps");
    }

    private Map<String, Object> callback(URI location, String state, TenantClient client, String redirectUri,
            String verifier) {
        Map<String, String> answer = query(location);
        if (answer.containsKey("error")) {
            return error(answer.get("error"), answer.getOrDefault("error_description", ""));
        }
        if (!state.equals(answer.get("state"))) {
            return error("state_mismatch", "The callback carried another state than the request");
        }
        String code = answer.get("code");
        if (code == null) {
            return error("no_code", "The callback " + location + " carried no code");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("client_id", client.clientId());
        form.put("client_secret", (String) this.request.get("clientSecret"));
        form.put("code", code);
        form.put("code_verifier", verifier);
        form.put("redirect_uri", redirectUri);
        return this.browser.tokenRequest(form);
    }

    private HttpResponse<String> submit(FormElement form, Map<String, String> values) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        form.formData().forEach(field -> fields.add(new SimpleEntry<>(field.key(), field.value())));
        values.forEach((name, value) -> {
            fields.removeIf(field -> field.getKey().equals(name));
            fields.add(new SimpleEntry<>(name, value));
        });
        String action = form.attr("action");
        URI target = action.isEmpty() ? this.browser.resolve(form.baseUri()) : URI.create(form.absUrl("action"));
        return this.browser.postForm(target, fields);
    }

    private static Optional<FormElement> form(Document page, String containing) {
        for (Element element : page.select(containing)) {
            for (Element parent = element; parent != null; parent = parent.parent()) {
                if (parent instanceof FormElement form) {
                    return Optional.of(form);
                }
            }
        }
        return Optional.empty();
    }

    private static String pageText(Document page, String selector, String fallback) {
        Element element = page.selectFirst(selector);
        return element != null ? element.text() : fallback;
    }

    private TenantClient client() {
        String clientId = (String) this.request.get("clientId");
        if (clientId != null) {
            return this.tenants.findClient(clientId)
                .orElseThrow(() -> new IllegalArgumentException("No client " + clientId + " in the test tenant"));
        }
        List<TenantClient> interactive = this.tenants.clients()
            .stream()
            .filter(c -> c.appType() != TenantClient.AppType.NON_INTERACTIVE)
            .toList();
        if (interactive.size() != 1) {
            throw new IllegalArgumentException(
                    "The test tenant has " + interactive.size() + " applications that log users in: name the client ("
                            + interactive.stream().map(TenantClient::clientId).toList() + ")");
        }
        return interactive.get(0);
    }

    private String audience() {
        Object given = this.request.get("audience");
        if (given instanceof String audience) {
            return audience.isEmpty() ? null : audience;
        }
        List<ResourceServer> apis = this.tenants.resourceServers();
        return (apis.size() == 1) ? apis.get(0).identifier() : null;
    }

    private String defaultScope(TenantClient client, String audience) {
        List<String> scope = new ArrayList<>(List.of("openid", "profile", "email"));
        Optional<ResourceServer> api = (audience != null) ? this.tenants.findResourceServer(audience)
                : Optional.empty();
        if (api.isPresent()) {
            if (api.get().allowOfflineAccess() && client.grantTypes().contains("refresh_token")) {
                scope.add("offline_access");
            }
            api.get().scopes().forEach(s -> scope.add(s.value()));
        }
        return String.join(" ", scope);
    }

    private String required(String name) {
        if (!(this.request.get(name) instanceof String value) || value.isEmpty()) {
            throw new IllegalArgumentException("The login flow needs " + name);
        }
        return value;
    }

    private String text(String name, String fallback) {
        return (this.request.get(name) instanceof String value) ? value : fallback;
    }

    private static Map<String, Object> error(String error, String description) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("error", error);
        result.put("error_description", description);
        return result;
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> values = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = (eq < 0) ? pair : pair.substring(0, eq);
            String value = (eq < 0) ? "" : pair.substring(eq + 1);
            values.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return values;
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    private static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
