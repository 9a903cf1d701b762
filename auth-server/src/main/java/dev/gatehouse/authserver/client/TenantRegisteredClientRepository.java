package dev.gatehouse.authserver.client;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Component;

import dev.gatehouse.authserver.tenant.ClientGrant;
import dev.gatehouse.authserver.tenant.ResourceServer;
import dev.gatehouse.authserver.tenant.TenantClient;
import dev.gatehouse.authserver.tenant.TenantDirectory;

/**
 * Spring Authorization Server's view of the tenant's applications. Clients are defined by
 * the tenant (file, then database), never registered through SAS, so this repository only
 * maps {@link TenantClient} to {@link RegisteredClient} and refuses {@link #save}.
 *
 * <p>
 * The token endpoint looks the client up on every request: a mapping is built once per
 * tenant snapshot ({@link CachingTenantDirectory}) and reused until the next one.
 */
@Component
public class TenantRegisteredClientRepository implements RegisteredClientRepository {

    /**
     * {@link TokenSettings} key: absolute lifetime of a refresh-token family
     * ({@link Duration}).
     */
    public static final String REFRESH_TOKEN_ABSOLUTE_TTL = "gatehouse.refresh-token.absolute-time-to-live";

    /**
     * {@link TokenSettings} key: Auth0's reuse interval ({@code refresh_token.leeway},
     * {@link Duration}).
     */
    public static final String REFRESH_TOKEN_LEEWAY = "gatehouse.refresh-token.leeway";

    /**
     * {@link ClientSettings} key: the {@link TenantClient} this registration was made
     * from.
     */
    public static final String TENANT_CLIENT = "gatehouse.tenant-client";

    private static final Duration NEVER = Duration.ofDays(3650);

    // Auth0 gives tokens for its /userinfo audience a 24 h lifetime.
    private static final Duration USERINFO_TOKEN_TTL = Duration.ofHours(24);

    private final TenantDirectory tenants;

    private final Map<String, Built> built = new ConcurrentHashMap<>();

    public TenantRegisteredClientRepository(TenantDirectory tenants) {
        this.tenants = tenants;
    }

    @Override
    public void save(RegisteredClient registeredClient) {
        throw new UnsupportedOperationException(
                "Clients come from the tenant file; they cannot be registered at run time");
    }

    @Override
    public @Nullable RegisteredClient findById(String id) {
        // The registration id is the client_id: stable across restarts, so stored
        // authorizations stay valid.
        return findByClientId(id);
    }

    @Override
    public @Nullable RegisteredClient findByClientId(String clientId) {
        if (clientId == null || clientId.isEmpty()) {
            return null;
        }
        TenantClient tenantClient = this.tenants.findClient(clientId).orElse(null);
        if (tenantClient == null) {
            return null;
        }
        // Built once per tenant snapshot: a new snapshot brings new TenantClient objects.
        Built built = this.built.get(clientId);
        if (built != null && built.source() == tenantClient) {
            return built.client();
        }
        RegisteredClient client;
        try {
            client = toRegisteredClient(tenantClient);
        }
        catch (IllegalArgumentException ex) {
            // A client SAS cannot represent (e.g. only grant types Gatehouse does not
            // serve) is an unknown client.
            client = null;
        }
        this.built.put(clientId, new Built(tenantClient, client));
        return client;
    }

    /** The tenant definition behind a registration made by this repository. */
    public static TenantClient tenantClient(RegisteredClient registeredClient) {
        return registeredClient.getClientSettings().getSetting(TENANT_CLIENT);
    }

    RegisteredClient toRegisteredClient(TenantClient client) {
        boolean isPublic = client.appType() == TenantClient.AppType.SPA
                || client.appType() == TenantClient.AppType.NATIVE || client.clientSecret() == null;
        RegisteredClient.Builder builder = RegisteredClient.withId(client.clientId())
            .clientId(client.clientId())
            .clientName(client.name());
        if (isPublic) {
            builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
        }
        else {
            String secret = client.clientSecret();
            // A secret from the tenant is either an encoder-tagged hash already or clear
            // text. Clear secrets are
            // compared as-is ({noop}): hashing them with a slow encoder would cap
            // client_credentials throughput.
            builder.clientSecret(secret.startsWith("{") ? secret : "{noop}" + secret)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST);
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String grantType : client.grantTypes()) {
            switch (grantType) {
                case "authorization_code" -> builder.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE);
                case "refresh_token" -> builder.authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN);
                case "client_credentials" -> builder.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS);
                case TenantClient.PASSKEY_GRANT_TYPE ->
                    builder.authorizationGrantType(new AuthorizationGrantType(TenantClient.PASSKEY_GRANT_TYPE));
                default -> {
                    // implicit, password, ...: accepted in the tenant file, not served.
                }
            }
        }
        if (client.grantTypes().contains("authorization_code")
                || client.grantTypes().contains(TenantClient.PASSKEY_GRANT_TYPE)) {
            scopes.addAll(Set.of(OidcScopes.OPENID, OidcScopes.PROFILE, OidcScopes.EMAIL, "offline_access"));
            // The per-request filter narrows these to the requested API's scopes; SAS
            // needs the union up front.
            for (ResourceServer api : this.tenants.resourceServers()) {
                api.scopes().forEach(scope -> scopes.add(scope.value()));
            }
        }
        if (client.grantTypes().contains("client_credentials")) {
            for (ResourceServer api : this.tenants.resourceServers()) {
                this.tenants.findClientGrant(client.clientId(), api.identifier())
                    .map(ClientGrant::scope)
                    .ifPresent(scopes::addAll);
            }
        }
        builder.scopes(s -> s.addAll(scopes));
        client.callbacks().forEach(builder::redirectUri);
        client.allowedLogoutUrls().forEach(builder::postLogoutRedirectUri);

        builder.clientSettings(ClientSettings.builder()
            // OAuth 2.1: every client proves possession of its code with PKCE,
            // confidential
            // ones too (a leaked code is useless without the verifier).
            .requireProofKey(true)
            // Consent is decided by ConsentPolicy (per API, first party, localhost), not
            // by this flag.
            .requireAuthorizationConsent(false)
            .setting(TENANT_CLIENT, client)
            .build());

        TenantClient.RefreshTokenPolicy policy = client.refreshToken();
        // "Never expires" is stored as a ten-year expiry: SAS and the cleanup need an
        // instant.
        Duration absolute = (policy.absoluteLifetime() != null) ? Duration.ofSeconds(policy.absoluteLifetime()) : NEVER;
        Duration idle = (policy.idleLifetime() != null) ? Duration.ofSeconds(policy.idleLifetime()) : absolute;
        builder.tokenSettings(TokenSettings.builder()
            .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
            .accessTokenTimeToLive(USERINFO_TOKEN_TTL)
            .authorizationCodeTimeToLive(Duration.ofMinutes(5))
            .refreshTokenTimeToLive((idle.compareTo(absolute) < 0) ? idle : absolute)
            .reuseRefreshTokens(!policy.rotating())
            .idTokenSignatureAlgorithm(SignatureAlgorithm.RS256)
            .setting(REFRESH_TOKEN_ABSOLUTE_TTL, absolute)
            .setting(REFRESH_TOKEN_LEEWAY, Duration.ofSeconds(policy.leeway()))
            .build());
        return builder.build();
    }

    private record Built(TenantClient source, @Nullable RegisteredClient client) {
    }

}
