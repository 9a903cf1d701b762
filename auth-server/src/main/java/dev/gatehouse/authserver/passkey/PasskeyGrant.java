package dev.gatehouse.authserver.passkey;

import java.security.Principal;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.webauthn.api.AttestationConveyancePreference;
import org.springframework.security.web.webauthn.api.AuthenticatorAssertionResponse;
import org.springframework.security.web.webauthn.api.AuthenticatorAttestationResponse;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.ImmutablePublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredential;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialParameters;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRequestOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.UserVerificationRequirement;
import org.springframework.security.web.webauthn.jackson.WebauthnJacksonModule;
import org.springframework.security.web.webauthn.management.ImmutableRelyingPartyRegistrationRequest;
import org.springframework.security.web.webauthn.management.RelyingPartyAuthenticationRequest;
import org.springframework.security.web.webauthn.management.RelyingPartyPublicKey;
import org.springframework.transaction.support.TransactionTemplate;

import dev.gatehouse.authserver.dpop.TokenEndpointProofs;
import dev.gatehouse.authserver.login.Factors;
import dev.gatehouse.authserver.tenant.ResourceServer;
import dev.gatehouse.authserver.tenant.TenantClient;
import dev.gatehouse.authserver.tenant.TenantDirectory;
import dev.gatehouse.authserver.token.Auth0TokenCustomizer;
import dev.gatehouse.authserver.user.UserDirectory;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The token half of the SDK's passkey API:
 * {@code grant_type=urn:okta:params:oauth:grant-type:webauthn} at {@code /oauth/token},
 * with the {@code auth_session} from {@code /passkey/register} or
 * {@code /passkey/challenge} and the authenticator's answer ({@code authn_response}, the
 * serialized {@code PublicKeyCredential}). A signup creates the user and stores the
 * passkey, a sign-in checks it; both end like a code exchange: access token for the
 * requested {@code audience}, ID token for {@code openid}, refresh token for
 * {@code offline_access}, an authorization stored so refresh and revocation work.
 *
 * <p>
 * Hand-written on Spring Authorization Server's extension points (a converter and a
 * provider for a grant type it does not know) and Spring Security's relying party, which
 * verifies the ceremony: neither has Auth0's passkey grant.
 */
public final class PasskeyGrant {

    static final AuthorizationGrantType GRANT_TYPE = new AuthorizationGrantType(TenantClient.PASSKEY_GRANT_TYPE);

    private PasskeyGrant() {
    }

    /** Reads a passkey grant request; {@code null} for every other grant. */
    public static AuthenticationConverter converter() {
        return (request) -> convert(request);
    }

    private static @Nullable Authentication convert(HttpServletRequest request) {
        if (!TenantClient.PASSKEY_GRANT_TYPE.equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))) {
            return null;
        }
        Authentication client = SecurityContextHolder.getContext().getAuthentication();
        Map<String, Object> parameters = new HashMap<>();
        for (String name : List.of("auth_session", "authn_response", "scope", "audience", "realm", "organization")) {
            String value = request.getParameter(name);
            if (value != null) {
                parameters.put(name, value);
            }
        }
        TokenEndpointProofs.addProofParameters(request, parameters);
        return new Request(client, parameters);
    }

    /** The grant request as SAS passes it to the provider. */
    static final class Request extends OAuth2AuthorizationGrantAuthenticationToken {

        Request(Authentication client, Map<String, Object> parameters) {
            super(GRANT_TYPE, client, parameters);
        }

        @Nullable String parameter(String name) {
            Object value = getAdditionalParameters().get(name);
            return (value instanceof String s) ? s : null;
        }

    }

    /** Verifies the ceremony and issues the tokens. */
    public static final class Provider implements AuthenticationProvider {

        private final PasskeyApiConfiguration.PasskeyGrants parts;

        private final OAuth2AuthorizationService authorizations;

        private final OAuth2TokenGenerator<? extends OAuth2Token> tokens;

        private final Function<OAuth2AuthorizationGrantAuthenticationToken, @Nullable Jwt> proofs;

        private final JsonMapper json = JsonMapper.builder().addModule(new WebauthnJacksonModule()).build();

        Provider(PasskeyApiConfiguration.PasskeyGrants parts, OAuth2AuthorizationService authorizations,
                OAuth2TokenGenerator<? extends OAuth2Token> tokens,
                Function<OAuth2AuthorizationGrantAuthenticationToken, @Nullable Jwt> proofs) {
            this.parts = parts;
            this.authorizations = authorizations;
            this.tokens = tokens;
            this.proofs = proofs;
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return Request.class.isAssignableFrom(authentication);
        }

        @Override
        public Authentication authenticate(Authentication authentication) {
            Request request = (Request) authentication;
            if (!(request.getPrincipal() instanceof OAuth2ClientAuthenticationToken clientPrincipal)
                    || !clientPrincipal.isAuthenticated() || clientPrincipal.getRegisteredClient() == null) {
                throw error(OAuth2ErrorCodes.INVALID_CLIENT, "Client authentication failed.");
            }
            RegisteredClient registered = clientPrincipal.getRegisteredClient();
            // Checked (and its jti spent) before the auth_session is taken, so a bad
            // proof
            // leaves the ceremony usable; the tokens are bound to its key (cnf.jkt).
            Jwt proof = this.proofs.apply(request);
            TenantClient client;
            try {
                client = this.parts.clients.authorize(registered.getClientId(), null, request.parameter("realm"));
            }
            catch (PasskeyClients.PasskeyApiException ex) {
                // The client already authenticated (with its secret, if any) at the token
                // endpoint.
                if (!"invalid_client".equals(ex.error())) {
                    throw error(ex.error().equals("access_denied") ? "access_denied" : "unauthorized_client",
                            ex.getMessage());
                }
                client = this.parts.tenants.findClient(registered.getClientId())
                    .orElseThrow(() -> error(OAuth2ErrorCodes.INVALID_CLIENT, "Unknown client."));
            }
            if (request.parameter("organization") != null) {
                throw error(OAuth2ErrorCodes.INVALID_REQUEST, "Organizations are not supported.");
            }
            String audience = request.parameter("audience");
            Optional<ResourceServer> api = Optional.empty();
            if (audience != null && !audience.isBlank()) {
                api = this.parts.tenants.findResourceServer(audience);
                if (api.isEmpty()) {
                    throw error("access_denied", "Service not found: " + audience);
                }
            }
            Set<String> scopes = scopes(request.parameter("scope"), registered, api);
            PasskeyAuthSessions.Ceremony ceremony = this.parts.sessions
                .take(request.parameter("auth_session"), registered.getClientId())
                .orElseThrow(() -> error(OAuth2ErrorCodes.INVALID_GRANT,
                        "The auth_session is unknown, expired or already used."));
            String subject = PasskeyAuthSessions.Ceremony.SIGNUP.equals(ceremony.kind())
                    ? signup(ceremony, request.parameter("authn_response"), client)
                    : login(ceremony, request.parameter("authn_response"), client);
            if (this.parts.users.findById(subject).isEmpty()) {
                throw error(OAuth2ErrorCodes.INVALID_GRANT, "The user is blocked or no longer exists.");
            }
            return issue(registered, clientPrincipal, request, subject, scopes, audience, proof);
        }

        private String signup(PasskeyAuthSessions.Ceremony ceremony, @Nullable String response, TenantClient client) {
            PublicKeyCredential<AuthenticatorAttestationResponse> credential = credential(response,
                    new TypeReference<PublicKeyCredential<AuthenticatorAttestationResponse>>() {
                    });
            if (!(credential.getResponse() instanceof AuthenticatorAttestationResponse)) {
                throw error(OAuth2ErrorCodes.INVALID_GRANT, "authn_response is not a passkey creation.");
            }
            String email = ceremony.email();
            String name = ceremony.name();
            Bytes handle = Bytes.fromBase64(ceremony.userHandle());
            String subject = this.parts.transactions.execute((status) -> {
                String created = this.parts.signups.create(email, name)
                    .orElseThrow(() -> error("user_exists", "A user with this email already exists."));
                this.parts.passkeyUsers.save(ImmutablePublicKeyCredentialUserEntity.builder()
                    .id(handle)
                    .name(created)
                    .displayName(name)
                    .build());
                PublicKeyCredentialUserEntity user = ImmutablePublicKeyCredentialUserEntity.builder()
                    .id(handle)
                    .name(email)
                    .displayName(name)
                    .build();
                PublicKeyCredentialCreationOptions options = PublicKeyCredentialCreationOptions.builder()
                    .attestation(AttestationConveyancePreference.NONE)
                    .pubKeyCredParams(PublicKeyCredentialParameters.EdDSA, PublicKeyCredentialParameters.ES256,
                            PublicKeyCredentialParameters.RS256)
                    .authenticatorSelection(RelyingParty.selection())
                    .challenge(Bytes.fromBase64(ceremony.challenge()))
                    .timeout(PasskeyAuthSessions.LIFETIME)
                    .user(user)
                    .rp(this.parts.relyingParty.rp())
                    .excludeCredentials(List.of())
                    .build();
                try {
                    this.parts.clients.operations(client)
                        .registerCredential(new ImmutableRelyingPartyRegistrationRequest(options,
                                new RelyingPartyPublicKey(credential, "Passkey")));
                }
                catch (OAuth2AuthenticationException ex) {
                    throw ex;
                }
                catch (RuntimeException ex) {
                    throw error(OAuth2ErrorCodes.INVALID_GRANT, "The passkey could not be verified.");
                }
                return created;
            });
            return subject;
        }

        private String login(PasskeyAuthSessions.Ceremony ceremony, @Nullable String response, TenantClient client) {
            PublicKeyCredential<AuthenticatorAssertionResponse> credential = credential(response,
                    new TypeReference<PublicKeyCredential<AuthenticatorAssertionResponse>>() {
                    });
            if (!(credential.getResponse() instanceof AuthenticatorAssertionResponse)) {
                throw error(OAuth2ErrorCodes.INVALID_GRANT, "authn_response is not a passkey assertion.");
            }
            PublicKeyCredentialRequestOptions options = PublicKeyCredentialRequestOptions.builder()
                .challenge(Bytes.fromBase64(ceremony.challenge()))
                .rpId(this.parts.relyingParty.rp().getId())
                .userVerification(UserVerificationRequirement.REQUIRED)
                .timeout(PasskeyAuthSessions.LIFETIME)
                .allowCredentials(List.of())
                .build();
            PublicKeyCredentialUserEntity user;
            try {
                user = this.parts.clients.operations(client)
                    .authenticate(new RelyingPartyAuthenticationRequest(options, credential));
            }
            catch (UserHandleCheck.Mismatch ex) {
                throw error(OAuth2ErrorCodes.INVALID_GRANT, ex.getMessage());
            }
            catch (RuntimeException ex) {
                throw error(OAuth2ErrorCodes.INVALID_GRANT, "The passkey was not accepted.");
            }
            return this.parts.passkeyUsers.subjectOf(user.getId())
                .orElseThrow(() -> error(OAuth2ErrorCodes.INVALID_GRANT, "The passkey was not accepted."));
        }

        private <T> T credential(@Nullable String response, TypeReference<T> type) {
            if (response == null || response.isBlank()) {
                throw error(OAuth2ErrorCodes.INVALID_REQUEST, "Missing required parameter: authn_response");
            }
            try {
                T credential = this.json.readValue(response, type);
                if (credential == null) {
                    throw new IllegalArgumentException("empty");
                }
                return credential;
            }
            catch (RuntimeException ex) {
                throw error(OAuth2ErrorCodes.INVALID_REQUEST,
                        "authn_response is not a serialized PublicKeyCredential.");
            }
        }

        /**
         * The requested scopes the client may have: OpenID scopes, and the requested
         * API's own scopes; {@code offline_access} only when the client may refresh and
         * the API allows it.
         */
        private static Set<String> scopes(@Nullable String requested, RegisteredClient client,
                Optional<ResourceServer> api) {
            Set<String> scopes = new LinkedHashSet<>();
            String value = (requested == null || requested.isBlank()) ? OidcScopes.OPENID : requested;
            Set<String> apiScopes = new LinkedHashSet<>();
            api.ifPresent((a) -> a.scopes().forEach((s) -> apiScopes.add(s.value())));
            for (String scope : Arrays.asList(value.trim().split("\\s+"))) {
                boolean oidc = Set.of(OidcScopes.OPENID, OidcScopes.PROFILE, OidcScopes.EMAIL).contains(scope);
                boolean offline = "offline_access".equals(scope)
                        && client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.REFRESH_TOKEN)
                        && api.map(ResourceServer::allowOfflineAccess).orElse(true);
                if (oidc || offline || apiScopes.contains(scope)) {
                    scopes.add(scope);
                }
            }
            return scopes;
        }

        private Authentication issue(RegisteredClient client, OAuth2ClientAuthenticationToken clientPrincipal,
                Request grant, String subject, Set<String> scopes, @Nullable String audience, @Nullable Jwt proof) {
            UsernamePasswordAuthenticationToken principal = UsernamePasswordAuthenticationToken.authenticated(subject,
                    null,
                    List.of(FactorGrantedAuthority.withAuthority(Factors.WEBAUTHN)
                        .issuedAt(this.parts.clock.instant())
                        .build()));
            OAuth2Authorization.Builder authorization = OAuth2Authorization.withRegisteredClient(client)
                .principalName(subject)
                .authorizationGrantType(GRANT_TYPE)
                .authorizedScopes(scopes)
                .attribute(Principal.class.getName(), principal);
            if (audience != null && !audience.isBlank()) {
                authorization.attribute(Auth0TokenCustomizer.AUDIENCE, audience);
            }
            DefaultOAuth2TokenContext.Builder context = DefaultOAuth2TokenContext.builder()
                .registeredClient(client)
                .principal(principal)
                .authorizationServerContext(AuthorizationServerContextHolder.getContext())
                .authorization(authorization.build())
                .authorizedScopes(scopes)
                .authorizationGrantType(GRANT_TYPE)
                .authorizationGrant(grant);
            if (proof != null) {
                context.put(OAuth2TokenContext.DPOP_PROOF_KEY, proof);
            }

            OAuth2TokenContext accessContext = context.tokenType(OAuth2TokenType.ACCESS_TOKEN).build();
            OAuth2Token generated = this.tokens.generate(accessContext);
            if (generated == null) {
                throw error(OAuth2ErrorCodes.SERVER_ERROR, "The access token could not be generated.");
            }
            boolean bound = generated instanceof ClaimAccessor claims && claims.getClaimAsMap("cnf") != null
                    && claims.getClaimAsMap("cnf").containsKey("jkt");
            OAuth2AccessToken accessToken = new OAuth2AccessToken(
                    bound ? OAuth2AccessToken.TokenType.DPOP : OAuth2AccessToken.TokenType.BEARER,
                    generated.getTokenValue(), generated.getIssuedAt(), generated.getExpiresAt(), scopes);
            if (generated instanceof ClaimAccessor claims) {
                authorization.token(accessToken,
                        (metadata) -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, claims.getClaims()));
            }
            else {
                authorization.accessToken(accessToken);
            }

            OAuth2RefreshToken refreshToken = null;
            if (client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.REFRESH_TOKEN)) {
                OAuth2Token refresh = this.tokens.generate(context.tokenType(OAuth2TokenType.REFRESH_TOKEN).build());
                if (refresh instanceof OAuth2RefreshToken token) {
                    refreshToken = token;
                    authorization.refreshToken(refreshToken);
                }
            }

            Map<String, Object> additional = new HashMap<>();
            if (scopes.contains(OidcScopes.OPENID)) {
                OAuth2Token id = this.tokens
                    .generate(context.tokenType(new OAuth2TokenType(OidcParameterNames.ID_TOKEN))
                        .authorization(authorization.build())
                        .build());
                if (!(id instanceof Jwt jwt)) {
                    throw error(OAuth2ErrorCodes.SERVER_ERROR, "The ID token could not be generated.");
                }
                OidcIdToken idToken = new OidcIdToken(jwt.getTokenValue(), jwt.getIssuedAt(), jwt.getExpiresAt(),
                        jwt.getClaims());
                authorization.token(idToken, (metadata) -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME,
                        idToken.getClaims()));
                additional.put(OidcParameterNames.ID_TOKEN, idToken.getTokenValue());
            }
            this.authorizations.save(authorization.build());
            return new OAuth2AccessTokenAuthenticationToken(client, clientPrincipal, accessToken, refreshToken,
                    additional);
        }

        private static OAuth2AuthenticationException error(String code, String description) {
            return new OAuth2AuthenticationException(new OAuth2Error(code, description, null));
        }

    }

}
