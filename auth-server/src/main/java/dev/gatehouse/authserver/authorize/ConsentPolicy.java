package dev.gatehouse.authserver.authorize;

import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationContext;

import dev.gatehouse.authserver.client.TenantRegisteredClientRepository;
import dev.gatehouse.authserver.tenant.ResourceServer;
import dev.gatehouse.authserver.tenant.TenantClient;
import dev.gatehouse.authserver.tenant.TenantDirectory;
import dev.gatehouse.authserver.token.Auth0TokenCustomizer;

/**
 * Auth0's consent rules on SAS's consent mechanics. Consent is remembered per user,
 * client and API: SAS keeps one consent row per (client, user), and each entry in it is
 * qualified by the API ({@code SCOPE_<audience>#<scope>}), so a grant for one API never
 * covers another.
 *
 * <p>
 * Consent is skipped only for a first-party client asking for an API that allows skipping
 * consent for verifiable first-party clients, and never when the redirect URI is on
 * {@code localhost} (Auth0 cannot verify those). A request for {@code openid} alone needs
 * no consent. {@code prompt=consent} asks again even when the user consented before (OIDC
 * Core 3.1.2.1), for every client that is asked at all; SAS itself only acts on
 * {@code prompt=none} and {@code prompt=login}.
 */
public class ConsentPolicy implements Predicate<OAuth2AuthorizationCodeRequestAuthenticationContext>,
        Consumer<OAuth2AuthorizationConsentAuthenticationContext> {

    private static final String PREFIX = "SCOPE_";

    private static final String PROMPT_CONSENT = "consent";

    private final TenantDirectory tenants;

    private final String issuer;

    public ConsentPolicy(TenantDirectory tenants, String issuer) {
        this.tenants = tenants;
        this.issuer = issuer;
    }

    /** Is consent required? */
    @Override
    public boolean test(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationRequest request = context.getAuthorizationRequest();
        Set<String> asked = consentScopes(request.getScopes());
        if (asked.isEmpty()) {
            return false;
        }
        String audience = audience(request);
        TenantClient client = TenantRegisteredClientRepository.tenantClient(context.getRegisteredClient());
        if (skipsConsent(client, this.tenants.findResourceServer(audience), request.getRedirectUri())) {
            return false;
        }
        if (PromptValues.of(request.getAdditionalParameters().get("prompt")).contains(PROMPT_CONSENT)) {
            return true;
        }
        Set<String> granted = granted(context.getAuthorizationConsent(), audience);
        return !granted.containsAll(asked);
    }

    /**
     * Whether {@code client} may act for a user on {@code api} without asking: a
     * first-party client, an API that lets verifiable first-party clients skip consent,
     * and a redirect URI that is not on {@code localhost}. Third-party clients are always
     * asked.
     */
    public static boolean skipsConsent(TenantClient client, Optional<ResourceServer> api,
            @Nullable String redirectUri) {
        return client.isFirstParty() && api.map(ResourceServer::skipConsentForVerifiableFirstPartyClients).orElse(true)
                && !isLocalhost(redirectUri);
    }

    /** Records the approved scopes qualified by the request's API. */
    @Override
    public void accept(OAuth2AuthorizationConsentAuthenticationContext context) {
        String audience = audience(context.getAuthorizationRequest());
        context.getAuthorizationConsent().authorities(authorities -> {
            Set<GrantedAuthority> plain = new HashSet<>();
            for (GrantedAuthority authority : authorities) {
                String name = authority.getAuthority();
                if (name.startsWith(PREFIX) && !name.contains("#")) {
                    plain.add(authority);
                }
            }
            authorities.removeAll(plain);
            for (GrantedAuthority authority : plain) {
                String scope = authority.getAuthority().substring(PREFIX.length());
                if (!OidcScopes.OPENID.equals(scope)) {
                    authorities.add(new SimpleGrantedAuthority(PREFIX + audience + "#" + scope));
                }
            }
        });
    }

    /** Scopes already consented to for {@code audience}. */
    public static Set<String> granted(@Nullable OAuth2AuthorizationConsent consent, String audience) {
        Set<String> granted = new HashSet<>();
        if (consent == null) {
            return granted;
        }
        String prefix = PREFIX + audience + "#";
        for (GrantedAuthority authority : consent.getAuthorities()) {
            if (authority.getAuthority().startsWith(prefix)) {
                granted.add(authority.getAuthority().substring(prefix.length()));
            }
        }
        return granted;
    }

    /** The scopes a user is asked about: everything but {@code openid}. */
    public static Set<String> consentScopes(Set<String> scopes) {
        Set<String> asked = new LinkedHashSet<>(scopes);
        asked.remove(OidcScopes.OPENID);
        return asked;
    }

    /**
     * The API a request is for; requests without {@code audience} are for Auth0's
     * userinfo audience.
     */
    public String audience(OAuth2AuthorizationRequest request) {
        Object audience = request.getAdditionalParameters().get(Auth0TokenCustomizer.AUDIENCE);
        return audience instanceof String s && !s.isEmpty() ? s : Auth0TokenCustomizer.userinfoAudience(this.issuer);
    }

    static boolean isLocalhost(@Nullable String redirectUri) {
        if (redirectUri == null) {
            return false;
        }
        try {
            String host = URI.create(redirectUri).getHost();
            return host != null && (host.equals("localhost") || host.endsWith(".localhost") || host.equals("127.0.0.1")
                    || host.equals("[::1]"));
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
    }

}
