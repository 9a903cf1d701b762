package dev.gatehouse.testkit.runtime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import dev.gatehouse.authserver.tenant.ClientGrant;
import dev.gatehouse.authserver.tenant.ResourceServer;
import dev.gatehouse.authserver.tenant.TenantClient;
import dev.gatehouse.authserver.tenant.TenantDirectory;
import dev.gatehouse.authserver.user.UserAccount;
import dev.gatehouse.authserver.user.UserDirectory;

/**
 * Signs access tokens directly, for tests that need a token without a login: with the
 * server's own {@link JwtEncoder} bean (its current key, its {@code kid}, RS256), shaped
 * as the server's token customizer shapes them: the API's token profile ({@code typ: JWT}
 * and {@code azp}, or for Auth0's RFC 9068 profile {@code typ: at+jwt} and
 * {@code client_id}), {@code scope} as one string, {@code permissions} for RBAC APIs with
 * an {@code _authz} dialect, {@code sub} of a machine client {@code <id>@clients}); or
 * with a key the server never published, for the "unknown key" case.
 *
 * <p>
 * The spec map, every entry optional: {@code user} (an email: {@code sub} is that user's
 * stored id, scope and permissions default to what their roles hold on the API),
 * {@code client} (a machine client id: scope and permissions default to its client
 * grant), {@code subject} (a raw {@code sub}), {@code audience} (list; default the
 * tenant's only API), {@code scope} and {@code permissions} (lists), {@code azp} (the
 * client, written as {@code client_id} in the RFC 9068 profile), {@code issuer},
 * {@code issuedAt}, {@code notBefore}, {@code expiresAt} (epoch seconds),
 * {@code lifetime} (seconds), {@code claims} (added last, so they win), {@code key}
 * ({@code server} or {@code unknown}), {@code type} (the header's {@code typ}).
 */
final class TokenMinter {

    private static final long DEFAULT_LIFETIME = 86_400;

    private static volatile JwtEncoder unknownKeyEncoder;

    private final JwtEncoder serverEncoder;

    private final TenantDirectory tenants;

    private final UserDirectory users;

    private final String issuer;

    TokenMinter(JwtEncoder serverEncoder, TenantDirectory tenants, UserDirectory users, String issuer) {
        this.serverEncoder = serverEncoder;
        this.tenants = tenants;
        this.users = users;
        this.issuer = issuer;
    }

    String mint(Map<String, Object> spec) {
        List<String> audience = stringList(spec.get("audience"));
        if (audience == null) {
            audience = new ArrayList<>(List.of(onlyApi()));
        }
        Optional<ResourceServer> api = this.tenants.findResourceServer(audience.get(0));
        String sub;
        String azp = (String) spec.get("azp");
        Set<String> scope = new LinkedHashSet<>();
        List<String> permissions = null;
        Map<String, Object> extra = new LinkedHashMap<>();
        if (spec.get("user") instanceof String email) {
            UserAccount user = this.users.findByEmail(email)
                .orElseThrow(() -> new IllegalArgumentException("No user " + email + " in the test tenant"));
            sub = user.userId();
            if (api.isPresent()) {
                ResourceServer a = api.get();
                Set<String> held = a.enforcePolicies() ? this.tenants.permissionsOf(sub, a.identifier()) : allScopes(a);
                // In the API's own order, as a login asking for every scope gets them.
                allScopes(a).stream().filter(held::contains).forEach(scope::add);
                if (a.enforcePolicies() && a.permissionsInToken()) {
                    permissions = sorted(held);
                }
            }
            if (azp == null) {
                azp = onlyInteractiveClient();
            }
        }
        else if (spec.get("client") instanceof String clientId) {
            this.tenants.findClient(clientId)
                .orElseThrow(() -> new IllegalArgumentException("No client " + clientId + " in the test tenant"));
            sub = clientId + "@clients";
            azp = (azp != null) ? azp : clientId;
            if (api.isPresent()) {
                this.tenants.findClientGrant(clientId, api.get().identifier())
                    .map(ClientGrant::scope)
                    .ifPresent(scope::addAll);
                if (api.get().permissionsInToken()) {
                    permissions = new ArrayList<>(scope);
                }
            }
            extra.put("gty", "client-credentials");
        }
        else {
            sub = (String) spec.getOrDefault("subject", "gatehouse-testkit|subject");
        }
        if (spec.containsKey("scope")) {
            scope = new LinkedHashSet<>(stringList(spec.get("scope")));
        }
        if (spec.containsKey("permissions")) {
            permissions = stringList(spec.get("permissions"));
        }
        if (scope.contains("openid") && spec.get("user") != null && !spec.containsKey("audience")) {
            // As the server does: a token that may call /userinfo names it as an
            // audience.
            audience.add(this.issuer + "userinfo");
        }

        long lifetime = longValue(spec.get("lifetime"),
                api.map(ResourceServer::tokenLifetime).filter(l -> l > 0).orElse(DEFAULT_LIFETIME));
        Instant issuedAt = instant(spec.get("issuedAt"), Instant.now());
        Instant expiresAt = instant(spec.get("expiresAt"), issuedAt.plusSeconds(lifetime));
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
            .issuer((String) spec.getOrDefault("issuer", this.issuer))
            .subject(sub)
            .audience(audience)
            .issuedAt(issuedAt)
            .expiresAt(expiresAt)
            .id(UUID.randomUUID().toString());
        if (spec.get("notBefore") != null) {
            claims.notBefore(instant(spec.get("notBefore"), issuedAt));
        }
        boolean rfc9068 = api.map(ResourceServer::rfc9068Profile).orElse(false);
        if (azp != null) {
            claims.claim(rfc9068 ? "client_id" : "azp", azp);
        }
        if (!scope.isEmpty()) {
            claims.claim("scope", String.join(" ", scope));
        }
        if (permissions != null) {
            claims.claim("permissions", new ArrayList<>(permissions));
        }
        extra.forEach(claims::claim);
        if (spec.get("claims") instanceof Map<?, ?> more) {
            more.forEach((name, value) -> claims.claim((String) name, value));
        }
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256)
            .type((String) spec.getOrDefault("type", rfc9068 ? "at+jwt" : "JWT"))
            .build();
        JwtEncoder encoder = "unknown".equals(spec.get("key")) ? unknownKeyEncoder() : this.serverEncoder;
        return encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
    }

    private String onlyApi() {
        List<ResourceServer> apis = this.tenants.resourceServers();
        if (apis.size() != 1) {
            throw new IllegalArgumentException(
                    "The test tenant has " + apis.size() + " APIs: name the token's audience (one of "
                            + apis.stream().map(ResourceServer::identifier).toList() + ")");
        }
        return apis.get(0).identifier();
    }

    private String onlyInteractiveClient() {
        List<TenantClient> interactive = this.tenants.clients()
            .stream()
            .filter(c -> c.appType() != TenantClient.AppType.NON_INTERACTIVE)
            .toList();
        return interactive.size() == 1 ? interactive.get(0).clientId() : null;
    }

    private static Set<String> allScopes(ResourceServer api) {
        Set<String> all = new LinkedHashSet<>();
        api.scopes().forEach(s -> all.add(s.value()));
        return all;
    }

    private static List<String> sorted(Set<String> values) {
        List<String> list = new ArrayList<>(values);
        list.sort(null);
        return list;
    }

    @SuppressWarnings("unchecked")
    private static List<String> stringList(Object value) {
        if (value == null) {
            return null;
        }
        return new ArrayList<>((List<String>) value);
    }

    private static long longValue(Object value, long fallback) {
        return (value instanceof Number n) ? n.longValue() : fallback;
    }

    private static Instant instant(Object epochSeconds, Instant fallback) {
        return (epochSeconds instanceof Number n) ? Instant.ofEpochSecond(n.longValue()) : fallback;
    }

    /**
     * The same encoder over an RSA key of its own, made once per JVM: a well-formed token
     * whose {@code kid} no JWKS of any test server lists.
     */
    private static JwtEncoder unknownKeyEncoder() {
        JwtEncoder encoder = unknownKeyEncoder;
        if (encoder == null) {
            synchronized (TokenMinter.class) {
                encoder = unknownKeyEncoder;
                if (encoder == null) {
                    try {
                        RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE)
                            .algorithm(JWSAlgorithm.RS256)
                            .keyIDFromThumbprint(true)
                            .generate();
                        encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key)));
                        unknownKeyEncoder = encoder;
                    }
                    catch (JOSEException ex) {
                        throw new IllegalStateException("Cannot generate the unknown signing key", ex);
                    }
                }
            }
        }
        return encoder;
    }

}
