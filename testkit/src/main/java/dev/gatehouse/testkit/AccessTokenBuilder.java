package dev.gatehouse.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An access token minted directly by the test server: signed with the server's own
 * encoder and current key (RS256, its {@code kid} in the header) and shaped as the server
 * shapes the tokens it issues (the API's token profile: {@code typ: JWT} and {@code azp},
 * or {@code typ: at+jwt} and {@code client_id} for Auth0's RFC 9068 profile; {@code iss},
 * {@code sub}, {@code aud}, {@code iat}, {@code exp}, {@code jti}; {@code scope} as one
 * space-separated string; {@code permissions} for APIs with RBAC).
 *
 * <p>
 * Whose token: {@link #user(String)} (the user's stored id as {@code sub}, scope and
 * permissions from their roles), {@link #client(String)} (a machine client:
 * {@code <id>@clients}, scope and permissions from its client grant) or
 * {@link #subject(String)} (any {@code sub}, no defaults). Everything else can be chosen,
 * and each deliberately broken variant is one call:
 *
 * <pre class="code">
 * gatehouse.accessToken().user("alice@example.com").expired().mint();
 * gatehouse.accessToken().user("alice@example.com").notYetValid().mint();
 * gatehouse.accessToken().user("alice@example.com").wrongAudience().mint();
 * gatehouse.accessToken().user("alice@example.com").wrongIssuer().mint();
 * gatehouse.accessToken().user("alice@example.com").unknownKey().mint();
 * </pre>
 */
public final class AccessTokenBuilder {

    /** The {@code aud} of {@link #wrongAudience()}. */
    public static final String WRONG_AUDIENCE = "https://wrong-audience.invalid/";

    /** The {@code iss} of {@link #wrongIssuer()}. */
    public static final String WRONG_ISSUER = "https://wrong-issuer.invalid/";

    private final Function<Map<String, Object>, String> minter;

    private final Map<String, Object> spec = new LinkedHashMap<>();

    private final Map<String, Object> claims = new LinkedHashMap<>();

    AccessTokenBuilder(Function<Map<String, Object>, String> minter) {
        this.minter = minter;
    }

    /**
     * For the user with this email: {@code sub} is their id ({@code auth0|...}); scope
     * and {@code permissions} default to what their roles hold on the API.
     */
    public AccessTokenBuilder user(String email) {
        this.spec.remove("client");
        this.spec.remove("subject");
        this.spec.put("user", email);
        return this;
    }

    /**
     * For a machine client: {@code sub} {@code <clientId>@clients}, {@code azp} the
     * client, {@code gty: client-credentials}; scope defaults to its client grant's.
     */
    public AccessTokenBuilder client(String clientId) {
        this.spec.remove("user");
        this.spec.remove("subject");
        this.spec.put("client", clientId);
        return this;
    }

    /** Any {@code sub}; scope and permissions are only what you set. */
    public AccessTokenBuilder subject(String subject) {
        this.spec.remove("user");
        this.spec.remove("client");
        this.spec.put("subject", subject);
        return this;
    }

    /** {@code aud}. Default: the tenant's only API. */
    public AccessTokenBuilder audience(String... audiences) {
        this.spec.put("audience", List.of(audiences));
        return this;
    }

    /** The {@code scope} claim, replacing the default; none for an empty call. */
    public AccessTokenBuilder scope(String... scopes) {
        this.spec.put("scope", List.of(scopes));
        return this;
    }

    /**
     * The {@code permissions} claim, replacing the default; {@code []} for an empty call.
     */
    public AccessTokenBuilder permissions(String... permissions) {
        this.spec.put("permissions", List.of(permissions));
        return this;
    }

    /**
     * Any other claim (strings, numbers, booleans, lists and maps of them); set last, so
     * it wins over any claim above.
     */
    public AccessTokenBuilder claim(String name, Object value) {
        this.claims.put(name, value);
        return this;
    }

    /**
     * The client the token was issued to: {@code azp} ({@code client_id} for an API with
     * the RFC 9068 profile).
     */
    public AccessTokenBuilder authorizedParty(String clientId) {
        this.spec.put("azp", clientId);
        return this;
    }

    /** {@code iss}. Default: this server's issuer. */
    public AccessTokenBuilder issuer(String issuer) {
        this.spec.put("issuer", issuer);
        return this;
    }

    /** {@code exp - iat}. Default: the API's token lifetime (a day unless set). */
    public AccessTokenBuilder lifetime(Duration lifetime) {
        this.spec.put("lifetime", lifetime.toSeconds());
        return this;
    }

    /** {@code iat}. Default: now. */
    public AccessTokenBuilder issuedAt(Instant issuedAt) {
        this.spec.put("issuedAt", issuedAt.getEpochSecond());
        return this;
    }

    /** {@code exp}. Default: {@code iat} plus the lifetime. */
    public AccessTokenBuilder expiresAt(Instant expiresAt) {
        this.spec.put("expiresAt", expiresAt.getEpochSecond());
        return this;
    }

    /** {@code nbf} (the server's own tokens have none). */
    public AccessTokenBuilder notBefore(Instant notBefore) {
        this.spec.put("notBefore", notBefore.getEpochSecond());
        return this;
    }

    /**
     * Expired an hour ago (issued two hours ago): beyond any resource server's clock
     * skew.
     */
    public AccessTokenBuilder expired() {
        Instant now = Instant.now();
        return issuedAt(now.minus(Duration.ofHours(2))).expiresAt(now.minus(Duration.ofHours(1)));
    }

    /** Valid only from an hour from now ({@code nbf}). */
    public AccessTokenBuilder notYetValid() {
        Instant now = Instant.now();
        return issuedAt(now).notBefore(now.plus(Duration.ofHours(1))).expiresAt(now.plus(Duration.ofHours(2)));
    }

    /** For another API: {@code aud} is {@value #WRONG_AUDIENCE}. */
    public AccessTokenBuilder wrongAudience() {
        return audience(WRONG_AUDIENCE);
    }

    /**
     * From another issuer: {@code iss} is {@value #WRONG_ISSUER}, though signed by this
     * server's key.
     */
    public AccessTokenBuilder wrongIssuer() {
        return issuer(WRONG_ISSUER);
    }

    /**
     * Signed by an RSA key this server never published (its own {@code kid}): what a
     * forged or foreign token looks like to a resource server.
     */
    public AccessTokenBuilder unknownKey() {
        this.spec.put("key", "unknown");
        return this;
    }

    /**
     * The token's {@code typ} header. Default: the API's profile's, {@code JWT} or
     * {@code at+jwt}.
     */
    public AccessTokenBuilder type(String type) {
        this.spec.put("type", type);
        return this;
    }

    /** Signs the token; returns it in compact form, ready for a bearer header. */
    public String mint() {
        Map<String, Object> request = new LinkedHashMap<>(this.spec);
        if (!this.claims.isEmpty()) {
            request.put("claims", new LinkedHashMap<>(this.claims));
        }
        return this.minter.apply(request);
    }

}
