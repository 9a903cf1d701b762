package dev.gatehouse.authserver.token;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

import dev.gatehouse.authserver.authorize.ConsentPolicy;
import dev.gatehouse.authserver.client.TenantRegisteredClientRepository;
import dev.gatehouse.authserver.login.Factors;
import dev.gatehouse.authserver.login.MultiFactorPolicy;
import dev.gatehouse.authserver.tenant.ResourceServer;
import dev.gatehouse.authserver.tenant.TenantClient;
import dev.gatehouse.authserver.tenant.TenantDirectory;
import dev.gatehouse.authserver.user.ProfileClaims;
import dev.gatehouse.authserver.user.UserAccount;
import dev.gatehouse.authserver.user.UserDirectory;

/**
 * Shapes tokens as Auth0 issues them (auth0-compatibility, V-1..V-11).
 *
 * <ul>
 * <li>Access token, in the API's profile ({@code token_dialect}): Auth0's default profile
 * has header {@code typ: JWT} and claims {@code iss sub aud azp iat exp jti scope}; the
 * RFC 9068 profile has {@code typ: at+jwt} and {@code client_id} instead of {@code azp}.
 * {@code scope} is a space-separated string; {@code permissions} is added by the
 * {@code _authz} dialects; {@code aud} = the requested API plus {@code <issuer>userinfo}
 * when {@code openid} was granted; the lifetime comes from the API.</li>
 * <li>ID token: {@code aud} = client id, {@code nonce}, {@code sid}, {@code auth_time}
 * (set by SAS), profile and email claims by granted scope, a 10 hour lifetime like
 * Auth0's default.</li>
 * </ul>
 *
 * <p>
 * Every collection put into claims is a mutable JDK type: SAS persists claims through an
 * allow-listed JSON mapper that rejects {@code List.of(..)} on read.
 */
public class Auth0TokenCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

    public static final String AUDIENCE = "audience";

    private static final long ID_TOKEN_SECONDS = 36_000;

    private static final Set<String> OIDC_SCOPES = Set.of(OidcScopes.OPENID, OidcScopes.PROFILE, OidcScopes.EMAIL,
            OidcScopes.ADDRESS, OidcScopes.PHONE, "offline_access");

    private final TenantDirectory tenants;

    private final UserDirectory users;

    private final OAuth2AuthorizationConsentService consents;

    private final String issuer;

    public Auth0TokenCustomizer(TenantDirectory tenants, UserDirectory users,
            OAuth2AuthorizationConsentService consents, String issuer) {
        this.tenants = tenants;
        this.users = users;
        this.consents = consents;
        this.issuer = issuer;
    }

    /** Auth0's audience for tokens that only call {@code /userinfo}. */
    public static String userinfoAudience(String issuer) {
        return issuer + "userinfo";
    }

    @Override
    public void customize(JwtEncodingContext context) {
        if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            customizeAccessToken(context);
        }
        else if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
            customizeIdToken(context);
        }
    }

    private void customizeAccessToken(JwtEncodingContext context) {
        String clientId = context.getRegisteredClient().getClientId();
        Set<String> granted = new LinkedHashSet<>(context.getAuthorizedScopes());
        Instant issuedAt = issuedAt(context);
        boolean machine = AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType());

        String audience = machine ? clientCredentialsAudience(context) : requestedAudience(context);
        Optional<ResourceServer> api = audience == null ? Optional.empty() : this.tenants.findResourceServer(audience);

        List<String> aud = new ArrayList<>();
        api.ifPresent(a -> aud.add(a.identifier()));
        if (!machine && (granted.contains(OidcScopes.OPENID) || api.isEmpty())) {
            // The issuer of this request: on the HTTPS port, the HTTPS address.
            String issuer = (context.getAuthorizationServerContext() != null)
                    ? context.getAuthorizationServerContext().getIssuer() : this.issuer;
            aud.add(userinfoAudience(issuer));
        }

        String subject = machine ? clientId + "@clients" : context.getPrincipal().getName();
        Set<String> scope = granted;
        List<String> permissions = null;
        if (api.isPresent() && api.get().enforcePolicies() && !machine) {
            Set<String> held = new LinkedHashSet<>(this.tenants.permissionsOf(subject, api.get().identifier()));
            Set<String> consented = consentedScopes(context, api.get(), subject);
            if (consented != null) {
                // Stricter than Auth0's RBAC: a permission the user never consented to
                // for
                // this client stays out, even when the request asked for openid alone.
                held.retainAll(consented);
            }
            // With RBAC on, Auth0 keeps an API scope in the token only if the user holds
            // that permission.
            scope = new LinkedHashSet<>();
            for (String s : granted) {
                if (OIDC_SCOPES.contains(s) || held.contains(s)) {
                    scope.add(s);
                }
            }
            if (api.get().permissionsInToken()) {
                permissions = new ArrayList<>(held);
                permissions.sort(null);
            }
        }
        else if (api.isPresent() && machine && api.get().permissionsInToken()) {
            permissions = new ArrayList<>(granted);
        }

        long lifetime = api.map(ResourceServer::tokenLifetime)
            .filter(l -> l > 0)
            .orElse(context.getRegisteredClient().getTokenSettings().getAccessTokenTimeToLive().toSeconds());
        String scopeClaim = String.join(" ", scope);
        List<String> finalPermissions = permissions;
        boolean rfc9068 = api.map(ResourceServer::rfc9068Profile).orElse(false);
        context.getJwsHeader().type(rfc9068 ? "at+jwt" : "JWT");
        context.getClaims()
            .subject(subject)
            .audience(aud)
            .expiresAt(issuedAt.plusSeconds(lifetime))
            .claim(rfc9068 ? "client_id" : "azp", clientId)
            .claims(claims -> {
                claims.remove("nbf");
                // jti stays in both profiles: two tokens issued in the same second for
                // the same grant would otherwise be byte-identical, and a refresh must
                // always give the client a new access token.
                if (scopeClaim.isEmpty()) {
                    claims.remove("scope");
                }
                else {
                    claims.put("scope", scopeClaim);
                }
                if (machine) {
                    claims.put("gty", "client-credentials");
                }
                if (finalPermissions != null) {
                    claims.put("permissions", finalPermissions);
                }
            });
    }

    /**
     * The API scopes {@code subject} consented to for this client, or {@code null} when
     * the client may act without consent (first party, an API that allows it, a
     * verifiable redirect URI).
     */
    private @Nullable Set<String> consentedScopes(JwtEncodingContext context, ResourceServer api, String subject) {
        if (TenantClient.PASSKEY_GRANT_TYPE.equals(context.getAuthorizationGrantType().getValue())) {
            // A first-party application's own sign-in (the SDK's passkey API): no consent
            // page exists to ask on, as with Auth0's other direct grants.
            return null;
        }
        OAuth2AuthorizationRequest request = (context.getAuthorization() == null) ? null
                : context.getAuthorization().getAttribute(OAuth2AuthorizationRequest.class.getName());
        TenantClient client = TenantRegisteredClientRepository.tenantClient(context.getRegisteredClient());
        if (request != null && ConsentPolicy.skipsConsent(client, Optional.of(api), request.getRedirectUri())) {
            return null;
        }
        return ConsentPolicy.granted(this.consents.findById(context.getRegisteredClient().getId(), subject),
                api.identifier());
    }

    private void customizeIdToken(JwtEncodingContext context) {
        Instant issuedAt = issuedAt(context);
        // A removed or blocked user gets no new ID token (the import also revokes their
        // grants; this closes the gap for a code issued just before).
        UserAccount account = this.users.findById(context.getPrincipal().getName())
            .orElseThrow(() -> new OAuth2AuthenticationException(
                    new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT, "The user is blocked or no longer exists.", null)));
        Map<String, Object> profile = ProfileClaims.of(account, context.getAuthorizedScopes(), issuedAt);
        // How the user signed in (issue 15): amr always, acr when the request asked for
        // a multi-factor login (Auth0's step-up) and got one.
        List<String> amr = Factors.amr(context.getPrincipal().getAuthorities());
        String acrValues = requestParameter(context, "acr_values");
        boolean multiFactorAcr = MultiFactorPolicy.requestsMultiFactor(acrValues)
                && Factors.multiFactor(context.getPrincipal().getAuthorities());
        context.getClaims().expiresAt(issuedAt.plusSeconds(ID_TOKEN_SECONDS)).claims(claims -> {
            claims.remove("jti");
            claims.putAll(profile);
            if (!amr.isEmpty()) {
                claims.put("amr", amr);
            }
            if (multiFactorAcr) {
                claims.put("acr", Factors.MFA_ACR);
            }
            if (!claims.containsKey("auth_time")) {
                // SAS sets auth_time for a code exchange only; the passkey grant is a
                // login too.
                Instant authTime = Factors.provedAt(context.getPrincipal().getAuthorities());
                if (authTime != null) {
                    claims.put("auth_time", java.util.Date.from(authTime));
                }
            }
        });
    }

    /**
     * The {@code iat} SAS's generator set, read from the claims being built. Building
     * them to read it copied and converted every claim (the issuer into a {@code URL}) on
     * every token, 3% of a machine token's Java time in a profile.
     */
    private static Instant issuedAt(JwtEncodingContext context) {
        Instant[] issuedAt = new Instant[1];
        context.getClaims().claims(claims -> {
            if (claims.get(JwtClaimNames.IAT) instanceof Instant instant) {
                issuedAt[0] = instant;
            }
        });
        return (issuedAt[0] != null) ? issuedAt[0] : context.getClaims().build().getIssuedAt();
    }

    private static @Nullable String requestParameter(JwtEncodingContext context, String name) {
        OAuth2AuthorizationRequest request = (context.getAuthorization() == null) ? null
                : context.getAuthorization().getAttribute(OAuth2AuthorizationRequest.class.getName());
        if (request == null) {
            return null;
        }
        Object value = request.getAdditionalParameters().get(name);
        return (value instanceof String s) ? s : null;
    }

    private static @Nullable String requestedAudience(JwtEncodingContext context) {
        if (context.getAuthorization() == null) {
            return null;
        }
        OAuth2AuthorizationRequest request = context.getAuthorization()
            .getAttribute(OAuth2AuthorizationRequest.class.getName());
        if (request == null) {
            // A direct grant (the SDK's passkey API) keeps its audience on the
            // authorization.
            Object audience = context.getAuthorization().getAttribute(AUDIENCE);
            return audience instanceof String s && !s.isEmpty() ? s : null;
        }
        Object audience = request.getAdditionalParameters().get(AUDIENCE);
        return audience instanceof String s && !s.isEmpty() ? s : null;
    }

    private static @Nullable String clientCredentialsAudience(JwtEncodingContext context) {
        if (context.getAuthorizationGrant() instanceof OAuth2ClientCredentialsAuthenticationToken grant) {
            Object audience = grant.getAdditionalParameters().get(AUDIENCE);
            return audience instanceof String s ? s : null;
        }
        return null;
    }

}
