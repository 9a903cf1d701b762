package dev.gatehouse.testkit.runtime;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the headless flows need of a browser: a cookie jar of its own (the SSO session),
 * redirects left to the caller (each hop is looked at), form posts, and the token
 * endpoint's JSON as a map.
 */
final class HeadlessBrowser {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI issuer;

    private final HttpClient http;

    HeadlessBrowser(String issuer) {
        this.issuer = URI.create(issuer);
        this.http = HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(TIMEOUT)
            .build();
    }

    URI resolve(String location) {
        return this.issuer.resolve(location);
    }

    /** Is {@code uri} on the authorization server (and not the client's callback)? */
    boolean isServer(URI uri) {
        return uri.getScheme().equals(this.issuer.getScheme()) && uri.getHost().equals(this.issuer.getHost())
                && uri.getPort() == this.issuer.getPort();
    }

    HttpResponse<String> get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    /** A form post; a name may repeat (the consent form posts one {@code scope} each). */
    HttpResponse<String> postForm(URI uri, List<Map.Entry<String, String>> form) {
        return send(HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(encode(form))));
    }

    /**
     * A token request ({@code application/x-www-form-urlencoded}, client credentials in
     * the body as Auth0's SDKs send them): {@code status} and the JSON {@code body}.
     */
    Map<String, Object> tokenRequest(Map<String, String> form) {
        HttpResponse<String> response = postForm(resolve("/oauth/token"), new ArrayList<>(form.entrySet()));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", response.statusCode());
        try {
            result.put("body", Json.parseObject(response.body()));
        }
        catch (RuntimeException ex) {
            result.put("body", Map.of("error", "invalid_response", "error_description",
                    "The token endpoint answered " + response.statusCode() + " without a JSON body"));
        }
        return result;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return this.http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new IllegalStateException("The Gatehouse test server did not answer: " + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Gatehouse test server", ex);
        }
    }

    static String encode(List<Map.Entry<String, String>> form) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> field : form) {
            String name = field.getKey();
            String value = field.getValue();
            if (value == null) {
                continue;
            }
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        return out.toString();
    }

}
