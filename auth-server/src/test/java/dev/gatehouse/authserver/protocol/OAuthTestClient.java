package dev.gatehouse.authserver.protocol;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A browser-less OAuth client for the HTTP-level tests: a cookie jar (the SSO session),
 * no automatic redirects (each hop is asserted), and the requests spa-js makes, built as
 * docs/auth0-compatibility.md describes them.
 */
final class OAuthTestClient {

    static final String SPA = "gatehouse-spa";
    static final String SPA_ORIGIN = "http://localhost:4200";
    static final String API = "https://gatehouse.local/api";
    static final JsonMapper JSON = JsonMapper.builder().build();

    private static final SecureRandom RANDOM = new SecureRandom();

    final String base;

    final CookieManager cookies = new CookieManager();

    private final HttpClient http;

    private boolean freshConnections;

    OAuthTestClient(int port) {
        this("http://localhost:" + port);
    }

    OAuthTestClient(String base) {
        this.base = base;
        // HTTP/1.1 as browsers speak it to a plain-http server; the JDK's default h2c
        // upgrade
        // attempt makes concurrent first requests to one origin wait for each other.
        this.http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(this.cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    }

    HttpResponse<String> get(String pathOrUrl, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathOrUrl)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    HttpResponse<String> postForm(String path, Map<String, ?> form, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form(form)));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    HttpResponse<String> postJson(String path, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    /** Any method, any body, the headers as given. */
    HttpResponse<String> request(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
            .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    HttpResponse<String> options(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .headers(headers));
    }

    /**
     * Opens a new connection for every request (same cookies), so that behind a
     * round-robin proxy each request may land on another instance.
     */
    OAuthTestClient withFreshConnections() {
        this.freshConnections = true;
        return this;
    }

    private HttpClient client() {
        return this.freshConnections ? HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(this.cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build() : this.http;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client().send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private URI uri(String pathOrUrl) {
        return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : this.base + pathOrUrl);
    }

    /**
     * Signs in through the login form (with its CSRF token); returns the response to the
     * form post.
     */
    HttpResponse<String> login(String email, String password) {
        HttpResponse<String> page = get("/login");
        return postForm("/login", Map.of("email", email, "password", password, "_csrf", csrf(page.body())));
    }

    static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no CSRF field in page: " + html);
        }
        return m.group(1);
    }

    /**
     * Follows same-server redirects until one leaves the server (to the client) or a page
     * is returned.
     */
    HttpResponse<String> follow(HttpResponse<String> response) {
        HttpResponse<String> current = response;
        for (int i = 0; i < 10 && isRedirect(current); i++) {
            String location = location(current);
            if (location.startsWith("http") && !location.startsWith(this.base)) {
                return current;
            }
            current = get(location);
        }
        return current;
    }

    static boolean isRedirect(HttpResponse<String> response) {
        return response.statusCode() / 100 == 3;
    }

    static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location header"));
    }

    /**
     * The id of the session the cookie names (Spring Session's cookie holds it
     * base64-encoded).
     */
    String sessionId() {
        return new String(Base64.getDecoder().decode(sessionCookie().getValue()), StandardCharsets.UTF_8);
    }

    HttpCookie sessionCookie() {
        return this.cookies.getCookieStore()
            .getCookies()
            .stream()
            .filter(c -> c.getName().equals("GATEHOUSE_SSO"))
            .findFirst()
            .orElse(null);
    }

    /**
     * Approves the consent page reached by {@code consentPage}, posting back what its
     * Accept form holds.
     */
    HttpResponse<String> accept(HttpResponse<String> consentPage) {
        return accept(consentPage, UnaryOperator.identity());
    }

    /**
     * Posts the Accept form of {@code consentPage} with its fields changed by
     * {@code edit}.
     */
    HttpResponse<String> accept(HttpResponse<String> consentPage, UnaryOperator<List<Map.Entry<String, String>>> edit) {
        String html = consentPage.body();
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        String acceptForm = html.substring(html.indexOf("action=\"/authorize\""), html.indexOf("consent-accept"));
        Matcher m = Pattern.compile("name=\"([^\"]+)\" value=\"([^\"]*)\"").matcher(acceptForm);
        while (m.find()) {
            fields.add(Map.entry(m.group(1), unescape(m.group(2))));
        }
        StringBuilder body = new StringBuilder();
        for (Map.Entry<String, String> field : edit.apply(fields)) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(enc(field.getKey())).append('=').append(enc(field.getValue()));
        }
        return send(HttpRequest.newBuilder(uri("/authorize"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    HttpResponse<String> decline(HttpResponse<String> consentPage) {
        String html = consentPage.body();
        String declineForm = html.substring(html.indexOf("action=\"/consent/deny\""));
        Matcher state = Pattern.compile("name=\"state\" value=\"([^\"]*)\"").matcher(declineForm);
        state.find();
        return postForm("/consent/deny", Map.of("state", unescape(state.group(1)), "_csrf", csrf(declineForm)));
    }

    private static String unescape(String html) {
        return html.replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&#x3D;", "=")
            .replace("&#43;", "+");
    }

    /**
     * One authorization request as spa-js builds it (auth0-compatibility A-2), with its
     * PKCE verifier.
     */
    static final class Authorize {

        final Map<String, String> params = new LinkedHashMap<>();

        final String verifier;

        Authorize() {
            this.verifier = random(32);
            this.params.put("client_id", SPA);
            this.params.put("scope", "openid profile email");
            this.params.put("redirect_uri", SPA_ORIGIN);
            this.params.put("response_type", "code");
            this.params.put("response_mode", "query");
            // spa-js's state is standard base64 with padding and often a '+': the
            // byte-exactness trap (auth0-compatibility A-5)
            this.params.put("state", "c3Rh+dGU/x==");
            this.params.put("nonce", "bm9u+Y2U=");
            this.params.put("code_challenge", challenge(this.verifier));
            this.params.put("code_challenge_method", "S256");
            this.params.put("auth0Client", "eyJuYW1lIjoiYXV0aDAtc3BhLWpzIiwidmVyc2lvbiI6IjIuMjguMyJ9");
        }

        Authorize with(String name, String value) {
            if (value == null) {
                this.params.remove(name);
            }
            else {
                this.params.put(name, value);
            }
            return this;
        }

        String url() {
            return "/authorize?" + form(this.params);
        }

        Map<String, String> tokenRequest(String code) {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("client_id", this.params.get("client_id"));
            form.put("code_verifier", this.verifier);
            form.put("grant_type", "authorization_code");
            form.put("code", code);
            form.put("redirect_uri", this.params.get("redirect_uri"));
            return form;
        }

    }

    static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String form(Map<String, ?> values) {
        StringBuilder out = new StringBuilder();
        values.forEach((name, value) -> {
            if (value == null) {
                return;
            }
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(enc(name)).append('=').append(enc(String.valueOf(value)));
        });
        return out.toString();
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * Query parameters of a redirect, decoded the way spa-js decodes them
     * (URLSearchParams: '+' is a space).
     */
    static Map<String, String> query(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        String query = URI.create(url).getRawQuery();
        if (query == null) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return out;
    }

    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /**
     * The header and claims of a JWT, undecoded signature ignored (verification is tested
     * separately).
     */
    static JsonNode[] jwt(String token) {
        String[] parts = token.split("\\.");
        Base64.Decoder decoder = Base64.getUrlDecoder();
        return new JsonNode[] { JSON.readTree(new String(decoder.decode(parts[0]), StandardCharsets.UTF_8)),
                JSON.readTree(new String(decoder.decode(parts[1]), StandardCharsets.UTF_8)) };
    }

    /** The object posted by a web_message page. */
    static JsonNode webMessage(String html) {
        Matcher m = Pattern.compile("var d\\s*=\\s*(\\{.*?\\}\\});").matcher(html);
        if (!m.find()) {
            throw new AssertionError("not a web_message page: " + html);
        }
        return JSON.readTree(m.group(1));
    }

}
