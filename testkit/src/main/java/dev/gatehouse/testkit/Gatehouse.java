package dev.gatehouse.testkit;

import java.util.List;
import java.util.Map;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What a test does with its Gatehouse authorization server: where it is, tokens minted
 * directly, and the real flows driven over HTTP. Implemented by the running
 * {@link GatehouseServer} and by the {@link GatehouseExtension} that runs one per test
 * class.
 */
public interface Gatehouse {

    /**
     * The issuer, exactly as in every token's {@code iss} and the discovery document:
     * {@code http://localhost:<port>/}, trailing slash included (Auth0's form).
     */
    String issuer();

    /** The port the server listens on (random, free when it started). */
    int port();

    /** {@code <issuer>.well-known/jwks.json}: the keys tokens are signed with. */
    default String jwksUri() {
        return issuer() + ".well-known/jwks.json";
    }

    /** {@code <issuer>.well-known/openid-configuration}. */
    default String discoveryUri() {
        return issuer() + ".well-known/openid-configuration";
    }

    /** {@code <issuer>oauth/token}. */
    default String tokenEndpoint() {
        return issuer() + "oauth/token";
    }

    /** The identifiers (audiences) of the tenant's APIs. */
    List<String> apis();

    /**
     * A token minted directly, signed by the server's current key; see
     * {@link AccessTokenBuilder} for what can be chosen and broken.
     */
    AccessTokenBuilder accessToken();

    /**
     * An access token for the user with this email, for the tenant's only API, with the
     * scopes and permissions their roles hold: what a login with consent to every scope
     * would give.
     */
    default String userToken(String email) {
        return accessToken().user(email).mint();
    }

    /**
     * An access token for a machine client, for the tenant's only API, with the scopes of
     * its client grant: what {@code client_credentials} would give.
     */
    default String clientToken(String clientId) {
        return accessToken().client(clientId).mint();
    }

    /**
     * The authorization code flow with PKCE for this user, through the real login and
     * consent pages over HTTP; see {@link AuthorizationCodeFlow} for the choices.
     */
    AuthorizationCodeFlow authorizationCode(String email, String password);

    /**
     * Logs this user in with the authorization code flow (the tenant's only application,
     * its first callback, the only API, every scope, consent accepted) and returns the
     * token response.
     */
    default TokenResponse logIn(String email, String password) {
        return authorizationCode(email, password).tokens();
    }

    /**
     * {@code client_credentials} at the token endpoint, for the tenant's only API (or
     * {@code audience} when given) and, when given, {@code scopes}.
     */
    TokenResponse clientCredentials(String clientId, String clientSecret, String audience, String... scopes);

    /** {@code client_credentials} for the tenant's only API. */
    default TokenResponse clientCredentials(String clientId, String clientSecret) {
        return clientCredentials(clientId, clientSecret, null);
    }

    /** The {@code refresh_token} grant for a public client (a SPA). */
    default TokenResponse refresh(String clientId, String refreshToken) {
        return refresh(clientId, null, refreshToken);
    }

    /**
     * The {@code refresh_token} grant; {@code clientSecret} for confidential clients,
     * {@code null} for public ones.
     */
    TokenResponse refresh(String clientId, String clientSecret, String refreshToken);

    /** The claims of a JWT (signature not checked: it is for assertions). */
    Map<String, Object> claims(String jwt);

    /** The JOSE header of a JWT ({@code alg}, {@code kid}, {@code typ}). */
    Map<String, Object> header(String jwt);

    /**
     * Points a Spring Boot resource server under test at this server: sets
     * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} to the issuer and
     * {@code ...jwt.audiences} to the tenant's APIs. Call it from the test class's
     * {@code @DynamicPropertySource} method.
     */
    default void addResourceServerProperties(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", this::issuer);
        registry.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> String.join(",", apis()));
    }

}
