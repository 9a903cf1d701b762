package dev.gatehouse.authserver.passkey;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRpEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.gatehouse.authserver.passkey.PasskeyClients.PasskeyApiException;
import dev.gatehouse.authserver.tenant.TenantClient;
import dev.gatehouse.authserver.user.DisplayNames;
import dev.gatehouse.authserver.user.EmailAddresses;
import dev.gatehouse.authserver.user.UserDirectory;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The challenge half of the SDK's passkey API (Auth0's native passkeys API), as
 * {@code @auth0/auth0-spa-js} calls it with a JSON body: {@code POST /passkey/register}
 * starts the signup of a new user with a passkey, {@code POST /passkey/challenge} a
 * sign-in with an existing one. Each answers {@code auth_session} and
 * {@code authn_params_public_key} (WebAuthn options, binary fields in base64url); the app
 * then runs the ceremony and sends the result to {@code /oauth/token} with the grant type
 * {@code urn:okta:params:oauth:grant-type:webauthn} ({@link PasskeyGrant}).
 *
 * <p>
 * Errors are {@code {"error", "error_description"}} with a 4xx status, which the SDK
 * turns into {@code PasskeyRegisterError} and {@code PasskeyChallengeError}
 * (auth0-compatibility P-2). Answers and errors are JSON whatever the request's
 * {@code Accept} says, as at the token endpoint: each is written with its content type
 * set, so Spring does not negotiate it (a negotiation that found nothing acceptable would
 * turn an error into a 500 and an answer into a 406 page).
 */
@RestController
class PasskeyApiController {

    static final String REGISTER = "/passkey/register";

    static final String CHALLENGE = "/passkey/challenge";

    private final PasskeyClients clients;

    private final PasskeyAuthSessions sessions;

    private final RelyingParty relyingParty;

    private final UserDirectory users;

    private final dev.gatehouse.authserver.tenant.LoginSettings settings;

    private final JsonMapper json = JsonMapper.builder().build();

    PasskeyApiController(PasskeyClients clients, PasskeyAuthSessions sessions, RelyingParty relyingParty,
            UserDirectory users, dev.gatehouse.authserver.tenant.LoginSettings settings) {
        this.clients = clients;
        this.sessions = sessions;
        this.relyingParty = relyingParty;
        this.users = users;
        this.settings = settings;
    }

    @PostMapping(REGISTER)
    ResponseEntity<Map<String, Object>> register(HttpServletRequest request) {
        TenantClient client = authorize(request);
        if (this.settings.database().disableSignup()) {
            throw new PasskeyApiException(403, "access_denied", "Sign-ups are disabled for this connection.");
        }
        JsonNode profile = profile(request.getParameter("user_profile"));
        String email = text(profile, "email");
        if (email == null || !EmailAddresses.isWellFormed(email.strip())) {
            throw new PasskeyApiException(400, "invalid_request", "user_profile.email must be an email address.");
        }
        email = email.strip().toLowerCase(java.util.Locale.ROOT);
        if (this.users.findByEmail(email).isPresent()) {
            throw new PasskeyApiException(400, "user_exists",
                    "A user with this email already exists: sign in with passkey.login() instead.");
        }
        String name = text(profile, "name");
        if (name != null && !DisplayNames.isAcceptable(name)) {
            throw new PasskeyApiException(400, "invalid_request",
                    "user_profile.name must not hold control, bidirectional-override or non-text characters.");
        }
        if (name == null || name.isBlank() || name.length() > 255) {
            name = email;
        }
        Bytes challenge = Bytes.random();
        Bytes handle = Bytes.random();
        String authSession = this.sessions.start(client.clientId(),
                new PasskeyAuthSessions.Ceremony(PasskeyAuthSessions.Ceremony.SIGNUP, challenge.toBase64UrlString(),
                        handle.toBase64UrlString(), email, name));
        PublicKeyCredentialRpEntity rp = this.relyingParty.rp();
        Map<String, Object> publicKey = new LinkedHashMap<>();
        publicKey.put("challenge", challenge.toBase64UrlString());
        publicKey.put("timeout", PasskeyAuthSessions.LIFETIME.toMillis());
        publicKey.put("rp", Map.of("id", rp.getId(), "name", rp.getName()));
        publicKey.put("user", Map.of("id", handle.toBase64UrlString(), "name", email, "displayName", name));
        publicKey.put("pubKeyCredParams", List.of(Map.of("type", "public-key", "alg", -8),
                Map.of("type", "public-key", "alg", -7), Map.of("type", "public-key", "alg", -257)));
        publicKey.put("authenticatorSelection",
                Map.of("residentKey", "required", "requireResidentKey", true, "userVerification", "required"));
        publicKey.put("attestation", "none");
        return json(HttpStatus.OK, Map.of("auth_session", authSession, "authn_params_public_key", publicKey));
    }

    @PostMapping(CHALLENGE)
    ResponseEntity<Map<String, Object>> challenge(HttpServletRequest request) {
        TenantClient client = authorize(request);
        Bytes challenge = Bytes.random();
        String authSession = this.sessions.start(client.clientId(), new PasskeyAuthSessions.Ceremony(
                PasskeyAuthSessions.Ceremony.LOGIN, challenge.toBase64UrlString(), null, null, null));
        Map<String, Object> publicKey = new LinkedHashMap<>();
        publicKey.put("challenge", challenge.toBase64UrlString());
        publicKey.put("timeout", PasskeyAuthSessions.LIFETIME.toMillis());
        publicKey.put("rpId", this.relyingParty.rp().getId());
        publicKey.put("userVerification", "required");
        return json(HttpStatus.OK, Map.of("auth_session", authSession, "authn_params_public_key", publicKey));
    }

    @ExceptionHandler(PasskeyApiException.class)
    ResponseEntity<Map<String, Object>> refused(PasskeyApiException ex) {
        return json(HttpStatusCode.valueOf(ex.status()),
                Map.of("error", ex.error(), "error_description", ex.getMessage()));
    }

    private static ResponseEntity<Map<String, Object>> json(HttpStatusCode status, Map<String, Object> body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    private TenantClient authorize(HttpServletRequest request) {
        if (request.getParameter("organization") != null) {
            throw new PasskeyApiException(400, "invalid_request", "Organizations are not supported.");
        }
        return this.clients.authorize(request.getParameter("client_id"), request.getParameter("client_secret"),
                request.getParameter("realm"));
    }

    private JsonNode profile(@Nullable String value) {
        if (value == null) {
            throw new PasskeyApiException(400, "invalid_request", "Missing required parameter: user_profile");
        }
        try {
            JsonNode node = this.json.readTree(value);
            if (node == null || !node.isObject()) {
                throw new PasskeyApiException(400, "invalid_request", "user_profile must be an object.");
            }
            return node;
        }
        catch (JacksonException ex) {
            throw new PasskeyApiException(400, "invalid_request", "user_profile must be an object.");
        }
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return (value != null && value.isString()) ? value.asString() : null;
    }

    static Duration timeout() {
        return PasskeyAuthSessions.LIFETIME;
    }

}
