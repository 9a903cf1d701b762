package dev.gatehouse.authserver.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.gatehouse.authserver.login.AfterPasswordLogin;
import dev.gatehouse.authserver.mfa.MultiFactorFilter;
import dev.gatehouse.authserver.mfa.TotpTestCodes;
import dev.gatehouse.authserver.passkey.SoftwareAuthenticator;
import tools.jackson.databind.JsonNode;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.SPA_ORIGIN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's own redirects never name a host taken from the request: every request here
 * carries a hostile {@code Host} (which the JDK's HTTP client refuses to send, so these
 * go over a plain socket) and a hostile {@code X-Forwarded-Host}, and no {@code Location}
 * (nor the passkey sign-in's {@code redirectUrl}) may name either. A cache in front, or a
 * link the server hands out, would otherwise send the next user to the attacker's host.
 */
class HostileHostHeaderTests extends ProtocolTestSupport {

    static final String HOSTILE = "evil.example";

    static final String FORWARDED = "forwarded.evil.example";

    @Test
    void redirectsOfThePasswordLoginFlowNameNoHostFromTheRequest() {
        HostileBrowser browser = new HostileBrowser(this.port);
        OAuthTestClient.Authorize authorize = apiRequest();

        Raw toLogin = browser.get(authorize.url());
        assertThat(toLogin.status()).isEqualTo(302);
        assertThat(toLogin.location()).isEqualTo("/login");

        Raw login = browser.get("/login");
        Raw backToRequest = browser.post("/login", Map.of("email", "host-header@example.com", "password",
                "Test-Passw0rd", "_csrf", OAuthTestClient.csrf(login.body())));
        assertThat(backToRequest.status()).isEqualTo(302);
        assertThat(backToRequest.location()).startsWith("/authorize?").contains("client_id=gatehouse-spa");
        assertNamesNoRequestHost(backToRequest.location());

        Raw toConsent = browser.get(backToRequest.location());
        assertThat(toConsent.status()).isEqualTo(302);
        assertThat(toConsent.location()).startsWith("/consent?");
        assertNamesNoRequestHost(toConsent.location());

        // prompt=login ends the session and sends the browser back to the same request.
        Raw again = browser.get(authorize.with("prompt", "login").url());
        assertThat(again.status()).isEqualTo(302);
        assertThat(again.location()).startsWith("/authorize?").doesNotContain("prompt=login");
        assertNamesNoRequestHost(again.location());
    }

    @Test
    void logoutRedirectsNameNoHostFromTheRequestButKeepTheApplicationsReturnTo() {
        HostileBrowser browser = new HostileBrowser(this.port);
        Raw signedOut = browser.get("/v2/logout");
        assertThat(signedOut.status()).isEqualTo(302);
        assertThat(signedOut.location()).isEqualTo("/logged-out");

        Raw returnTo = browser.get("/v2/logout?client_id=gatehouse-spa&returnTo=" + OAuthTestClient.enc(SPA_ORIGIN));
        assertThat(returnTo.status()).isEqualTo(302);
        assertThat(returnTo.location()).isEqualTo(SPA_ORIGIN);
    }

    @Test
    void pagesThatNeedASignInRedirectToTheLoginPageWithoutAHost() {
        HostileBrowser browser = new HostileBrowser(this.port);
        Raw toLogin = browser.get("/passkeys");
        assertThat(toLogin.status()).isEqualTo(302);
        assertThat(toLogin.location()).isEqualTo("/login");
    }

    @Test
    void passkeySignInAfterARequestWithAHostileHostAnswersARedirectUrlWithoutAHost() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        this.browser.login("host-header-passkey@example.com", "Test-Passw0rd");
        assertThat(PageSteps.register(this.browser, authenticator, "Key").statusCode()).isEqualTo(200);

        HostileBrowser browser = new HostileBrowser(this.port);
        assertThat(browser.get(new OAuthTestClient.Authorize().url()).location()).isEqualTo("/login");
        String csrf = PageSteps.metaCsrf(browser.get("/login").body());
        Raw options = browser.postJson("/webauthn/authenticate/options", "", csrf);
        assertThat(options.status()).as(options.body()).isEqualTo(200);
        String answer = authenticator.get("localhost", PageSteps.SERVER_ORIGIN,
                OAuthTestClient.JSON.readTree(options.body()).get("challenge").asString());
        Raw signedIn = browser.postJson("/login/webauthn", answer, csrf);
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(200);
        JsonNode body = OAuthTestClient.JSON.readTree(signedIn.body());
        assertThat(body.get("redirectUrl").asString()).startsWith("/authorize?");
        assertNamesNoRequestHost(body.get("redirectUrl").asString());
    }

    @Test
    void secondFactorPagesReturnToTheRequestWithoutAHost() {
        HostileBrowser browser = new HostileBrowser(this.port);
        assertThat(browser.get(MultiFactorTests.stepUp().url()).location()).isEqualTo("/login");
        Raw login = browser.get("/login");
        Raw backToRequest = browser.post("/login", Map.of("email", "host-header-mfa@example.com", "password",
                "Test-Passw0rd", "_csrf", OAuthTestClient.csrf(login.body())));
        assertThat(backToRequest.location()).startsWith("/authorize?");
        Raw toSecondFactor = browser.get(backToRequest.location());
        assertThat(toSecondFactor.location()).isEqualTo(MultiFactorFilter.PAGE);

        Raw enroll = browser.get("/mfa/enroll/otp");
        assertThat(enroll.status()).isEqualTo(200);
        Raw codes = browser.post("/mfa/enroll/otp",
                Map.of("code", TotpTestCodes.code(PageSteps.secret(enroll.body()), Instant.now()), "_csrf",
                        OAuthTestClient.csrf(enroll.body())));
        assertThat(codes.status()).isEqualTo(200);
        String next = MultiFactorTests.continueLink(codes.body());
        assertThat(next).startsWith("/authorize?");
        assertNamesNoRequestHost(next);

        // The second factor is there now: the page sends the browser straight back.
        Raw back = browser.get(MultiFactorFilter.PAGE);
        assertThat(back.location()).startsWith("/authorize?");
        assertNamesNoRequestHost(back.location());
    }

    @Test
    void passkeyOfferAfterAPasswordLoginLeadsBackWithoutAHost() {
        HostileBrowser browser = new HostileBrowser(this.port);
        assertThat(browser.get(new OAuthTestClient.Authorize().url()).location()).isEqualTo("/login");
        Raw login = browser.get("/login");
        Raw offer = browser.post("/login", Map.of("email", "host-header-offer@example.com", "password", "Test-Passw0rd",
                "passkey_capable", "true", "_csrf", OAuthTestClient.csrf(login.body())));
        assertThat(offer.location()).isEqualTo(AfterPasswordLogin.ENROLL_PAGE);
        Raw page = browser.get(AfterPasswordLogin.ENROLL_PAGE);
        Matcher skip = Pattern.compile("href=\"([^\"]+)\" data-testid=\"passkey-skip\"").matcher(page.body());
        assertThat(skip.find()).as(page.body()).isTrue();
        String next = skip.group(1).replace("&amp;", "&");
        assertThat(next).startsWith("/authorize?");
        assertNamesNoRequestHost(next);
    }

    static void assertNamesNoRequestHost(String location) {
        assertThat(location).doesNotContain(HOSTILE).doesNotContain(FORWARDED).doesNotStartWith("//");
    }

    /** An answer as read off the socket. */
    record Raw(int status, Map<String, List<String>> headers, String body) {

        String location() {
            List<String> values = this.headers.getOrDefault("location", List.of());
            assertThat(values).as("one Location header").hasSize(1);
            return values.get(0);
        }

    }

    /**
     * A browser whose every request names a hostile host: HTTP/1.1 over a plain socket,
     * one connection per request, keeping the session cookie.
     */
    static final class HostileBrowser {

        private static final Pattern SESSION = Pattern.compile("GATEHOUSE_SSO=([^;]*)");

        private final int port;

        private String session;

        HostileBrowser(int port) {
            this.port = port;
        }

        Raw get(String path) {
            return send("GET", path, Map.of(), "");
        }

        Raw post(String path, Map<String, String> form) {
            return send("POST", path, Map.of("Content-Type", "application/x-www-form-urlencoded"),
                    OAuthTestClient.form(form));
        }

        Raw postJson(String path, String json, String csrf) {
            return send("POST", path, Map.of("Content-Type", "application/json", "X-CSRF-TOKEN", csrf), json);
        }

        private Raw send(String method, String path, Map<String, String> headers, String body) {
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder request = new StringBuilder();
            request.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
            request.append("Host: ").append(HOSTILE).append("\r\n");
            request.append("X-Forwarded-Host: ").append(FORWARDED).append("\r\n");
            request.append("Connection: close\r\n");
            if (this.session != null) {
                request.append("Cookie: GATEHOUSE_SSO=").append(this.session).append("\r\n");
            }
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            if (!method.equals("GET")) {
                request.append("Content-Length: ").append(content.length).append("\r\n");
            }
            request.append("\r\n");
            try (Socket socket = new Socket("127.0.0.1", this.port)) {
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
                out.write(content);
                out.flush();
                Raw raw = parse(socket.getInputStream());
                for (String cookie : raw.headers().getOrDefault("set-cookie", List.of())) {
                    Matcher m = SESSION.matcher(cookie);
                    if (m.find()) {
                        this.session = m.group(1).isEmpty() ? null : m.group(1);
                    }
                }
                return raw;
            }
            catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }

        private static Raw parse(InputStream in) throws IOException {
            byte[] all = in.readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(), (k) -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
            }
            byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
            if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
                body = unchunk(body);
            }
            return new Raw(status, headers, new String(body, StandardCharsets.UTF_8));
        }

        private static byte[] unchunk(byte[] chunked) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int at = 0;
            while (at < chunked.length) {
                int lineEnd = indexOfCrlf(chunked, at);
                String size = new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0].trim();
                int length = Integer.parseInt(size, 16);
                if (length == 0) {
                    break;
                }
                out.write(chunked, lineEnd + 2, length);
                at = lineEnd + 2 + length + 2;
            }
            return out.toByteArray();
        }

        private static int indexOfCrlf(byte[] bytes, int from) {
            for (int i = from; i < bytes.length - 1; i++) {
                if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                    return i;
                }
            }
            throw new IllegalStateException("no chunk size line");
        }

    }

}
