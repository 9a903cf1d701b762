package dev.gatehouse.authserver.passkey;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;

import dev.gatehouse.authserver.tenant.DatabaseConnection;
import dev.gatehouse.authserver.tenant.LoginSettings;
import dev.gatehouse.authserver.tenant.TenantClient;
import dev.gatehouse.authserver.tenant.TenantDirectory;

/**
 * Which applications may use the SDK's passkey API, and the relying party each one gets:
 * the application must have the grant type
 * {@code urn:okta:params:oauth:grant-type:webauthn}, be first party, and the user
 * database must have passkeys on and the application among its {@code enabled_clients}.
 * The ceremony runs on the application's page, so it is accepted from the application's
 * {@code web_origins} and {@code allowed_origins} only.
 */
public class PasskeyClients {

    private final TenantDirectory tenants;

    private final RegisteredClientRepository clients;

    private final PasswordEncoder passwordEncoder;

    private final LoginSettings settings;

    private final RelyingParty relyingParty;

    private final Map<Set<String>, WebAuthnRelyingPartyOperations> operations = new ConcurrentHashMap<>();

    public PasskeyClients(TenantDirectory tenants, RegisteredClientRepository clients, PasswordEncoder passwordEncoder,
            LoginSettings settings, RelyingParty relyingParty) {
        this.tenants = tenants;
        this.clients = clients;
        this.passwordEncoder = passwordEncoder;
        this.settings = settings;
        this.relyingParty = relyingParty;
    }

    /**
     * The application of a passkey API call, checked: its credentials (a secret for
     * confidential ones), its right to the passkey grant, and the connection.
     * @throws PasskeyApiException what to answer otherwise
     */
    public TenantClient authorize(@Nullable String clientId, @Nullable String clientSecret, @Nullable String realm) {
        if (clientId == null || clientId.isBlank()) {
            throw new PasskeyApiException(400, "invalid_request", "Missing required parameter: client_id");
        }
        TenantClient client = this.tenants.findClient(clientId)
            .orElseThrow(() -> new PasskeyApiException(401, "invalid_client", "Unknown client."));
        if (client.clientSecret() != null) {
            RegisteredClient registered = this.clients.findByClientId(clientId);
            if (clientSecret == null || registered == null || registered.getClientSecret() == null
                    || !this.passwordEncoder.matches(clientSecret, registered.getClientSecret())) {
                throw new PasskeyApiException(401, "invalid_client", "Client authentication failed.");
            }
        }
        if (!client.grantTypes().contains(TenantClient.PASSKEY_GRANT_TYPE) || !client.isFirstParty()) {
            throw new PasskeyApiException(403, "unauthorized_client",
                    "Grant type '" + TenantClient.PASSKEY_GRANT_TYPE
                            + "' not allowed for the client (a first-party application "
                            + "with this grant type in grant_types).");
        }
        DatabaseConnection database = this.settings.database();
        if (realm != null && !realm.isBlank() && !realm.equals(database.name())) {
            throw new PasskeyApiException(400, "invalid_request", "Unknown realm (connection): " + realm);
        }
        if (!database.passkeyEnabled() || !database.enabledFor(clientId)) {
            throw new PasskeyApiException(403, "access_denied",
                    "Passkeys are not enabled for this application on the connection " + database.name() + ".");
        }
        return client;
    }

    /** The relying party for ceremonies on {@code client}'s pages. */
    public WebAuthnRelyingPartyOperations operations(TenantClient client) {
        Set<String> origins = new LinkedHashSet<>();
        client.webOrigins().forEach((o) -> origins.add(trim(o)));
        client.allowedOrigins().forEach((o) -> origins.add(trim(o)));
        return this.operations.computeIfAbsent(Set.copyOf(origins), this.relyingParty::operations);
    }

    private static String trim(String origin) {
        return origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
    }

    /** An answer of the passkey API other than 200: status and OAuth-style error. */
    public static final class PasskeyApiException extends RuntimeException {

        private final int status;

        private final String error;

        public PasskeyApiException(int status, String error, String description) {
            super(description);
            this.status = status;
            this.error = error;
        }

        public int status() {
            return this.status;
        }

        public String error() {
            return this.error;
        }

    }

}
