package dev.gatehouse.authserver.web;

import java.io.IOException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.gatehouse.authserver.authorize.AuthorizationResponses;
import dev.gatehouse.authserver.authorize.ConsentPolicy;
import dev.gatehouse.authserver.config.GatehouseProperties;
import dev.gatehouse.authserver.tenant.ResourceServer;
import dev.gatehouse.authserver.tenant.TenantDirectory;
import dev.gatehouse.authserver.user.UserAccount;
import dev.gatehouse.authserver.user.UserDirectory;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The consent page SAS redirects to. It names the application, the API and each scope.
 * "Accept" posts the scopes back to {@code /authorize}, where SAS records the consent and
 * issues the code; "Decline" comes here and answers the client with {@code access_denied}
 * in the original response mode.
 */
@Controller
class ConsentController {

    private static final OAuth2TokenType STATE = new OAuth2TokenType(OAuth2ParameterNames.STATE);

    private static final Map<String, String> OIDC_DESCRIPTIONS = Map.of("profile",
            "Your profile: name, nickname and picture", "email", "Your email address", "offline_access",
            "Stay signed in: keep access when you are not using the application");

    private final OAuth2AuthorizationService authorizations;

    private final RegisteredClientRepository clients;

    private final TenantDirectory tenants;

    private final UserDirectory users;

    private final AuthorizationResponses responses;

    private final String issuer;

    ConsentController(OAuth2AuthorizationService authorizations, RegisteredClientRepository clients,
            TenantDirectory tenants, UserDirectory users, AuthorizationResponses responses,
            GatehouseProperties properties) {
        this.authorizations = authorizations;
        this.clients = clients;
        this.tenants = tenants;
        this.users = users;
        this.responses = responses;
        this.issuer = properties.issuer();
    }

    @GetMapping("/consent")
    String consent(@RequestParam(name = OAuth2ParameterNames.STATE, required = false) String state, Principal principal,
            Model model, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Pending> pending = pending(state, principal);
        if (pending.isEmpty()) {
            AuthorizationResponses.errorPage(request, response, new OAuth2Error("invalid_request",
                    "This consent request has expired or does not belong to you. Start again from the application.",
                    null));
            return null;
        }
        OAuth2AuthorizationRequest authorizationRequest = pending.get().request();
        String audience = new ConsentPolicy(this.tenants, this.issuer).audience(authorizationRequest);
        Optional<ResourceServer> api = this.tenants.findResourceServer(audience);
        List<Map<String, String>> scopes = new ArrayList<>();
        for (String scope : ConsentPolicy.consentScopes(authorizationRequest.getScopes())) {
            Map<String, String> item = new LinkedHashMap<>();
            item.put("value", scope);
            item.put("description", describe(scope, api));
            scopes.add(item);
        }
        model.addAttribute("clientId", pending.get().client().getClientId());
        model.addAttribute("clientName", pending.get().client().getClientName());
        model.addAttribute("apiName", api.map(ResourceServer::name).orElse("your user profile"));
        model.addAttribute("audience", audience);
        model.addAttribute("state", state);
        model.addAttribute("scopes", scopes);
        // The principal's name is the subject (auth0|...): people recognise their email,
        // not their id.
        model.addAttribute("user",
                this.users.findById(principal.getName()).map(UserAccount::email).orElse(principal.getName()));
        return "consent";
    }

    @PostMapping("/consent/deny")
    String deny(@RequestParam(name = OAuth2ParameterNames.STATE, required = false) String state, Principal principal,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Pending> pending = pending(state, principal);
        if (pending.isEmpty()) {
            AuthorizationResponses.errorPage(request, response, new OAuth2Error("invalid_request",
                    "This consent request has expired or does not belong to you.", null));
            return null;
        }
        this.authorizations.remove(pending.get().authorization());
        OAuth2AuthorizationRequest original = pending.get().request();
        String redirectUri = original.getRedirectUri() != null ? original.getRedirectUri()
                : pending.get().client().getRedirectUris().iterator().next();
        this.responses.sendError(request, response, original.getClientId(), redirectUri, original.getState(),
                (String) original.getAdditionalParameters().get("response_mode"),
                new OAuth2Error("access_denied", "User did not authorize the request", null));
        return null;
    }

    private Optional<Pending> pending(String state, Principal principal) {
        if (state == null || state.isEmpty() || principal == null) {
            return Optional.empty();
        }
        OAuth2Authorization authorization = this.authorizations.findByToken(state, STATE);
        if (authorization == null || !authorization.getPrincipalName().equals(principal.getName())) {
            return Optional.empty();
        }
        OAuth2AuthorizationRequest request = authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
        RegisteredClient client = this.clients.findById(authorization.getRegisteredClientId());
        if (request == null || client == null) {
            return Optional.empty();
        }
        return Optional.of(new Pending(authorization, request, client));
    }

    private static String describe(String scope, Optional<ResourceServer> api) {
        if (OIDC_DESCRIPTIONS.containsKey(scope)) {
            return OIDC_DESCRIPTIONS.get(scope);
        }
        return api.flatMap(a -> a.scopes().stream().filter(s -> s.value().equals(scope)).findFirst())
            .map(ResourceServer.Scope::description)
            .filter(d -> d != null && !d.isBlank())
            .orElse(scope);
    }

    private record Pending(OAuth2Authorization authorization, OAuth2AuthorizationRequest request,
            RegisteredClient client) {
    }

}
