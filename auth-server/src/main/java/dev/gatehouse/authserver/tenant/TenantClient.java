package dev.gatehouse.authserver.tenant;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An application ({@code clients[]} in {@code tenant.yaml}).
 *
 * @param clientSecret our extension for confidential clients ({@code non_interactive},
 * {@code regular_web}); a real Deploy CLI export never carries it. {@code null} for SPAs,
 * which are public clients. From the file it is the clear secret; from
 * {@link TenantDirectory} it is the stored {@code DelegatingPasswordEncoder} hash (e.g.
 * {@code {bcrypt}$2a$...}), ready for {@code RegisteredClient.clientSecret(..)} and the
 * {@code PasswordEncoder} bean.
 * @param grantTypes Auth0 grant type names: {@code authorization_code},
 * {@code refresh_token}, {@code client_credentials}, {@code implicit} (accepted, not
 * served)
 * @param refreshToken {@code null} when the file does not declare one: Auth0's defaults
 * apply
 */
public record TenantClient(String name, String clientId, @Nullable String clientSecret, AppType appType,
        List<String> callbacks, List<String> allowedLogoutUrls, List<String> webOrigins, List<String> allowedOrigins,
        List<String> grantTypes, boolean isFirstParty, @Nullable RefreshTokenPolicy refreshToken) {

    public TenantClient {
        callbacks = List.copyOf(callbacks);
        allowedLogoutUrls = List.copyOf(allowedLogoutUrls);
        webOrigins = List.copyOf(webOrigins);
        allowedOrigins = List.copyOf(allowedOrigins);
        grantTypes = List.copyOf(grantTypes);
    }

    /** Leaves the secret out, so a logged client never leaks it. */
    @Override
    public String toString() {
        return "TenantClient[clientId=" + clientId + ", name=" + name + ", appType=" + appType + ", grantTypes="
                + grantTypes + ", callbacks=" + callbacks + ", webOrigins=" + webOrigins + "]";
    }

    /** Auth0's {@code app_type} values that Gatehouse serves. */
    public enum AppType {

        /** {@code spa}: public client, code + PKCE, no secret. */
        SPA,
        /** {@code non_interactive}: machine-to-machine, {@code client_credentials}. */
        NON_INTERACTIVE,
        /** {@code regular_web}: confidential client, code flow with a secret. */
        REGULAR_WEB,
        /** {@code native}: public client, code + PKCE. */
        NATIVE

    }

    /**
     * Auth0's {@code refresh_token} block. Lifetimes are in seconds.
     *
     * @param rotationType {@code rotating} or {@code non-rotating}
     * @param expirationType {@code expiring} or {@code non-expiring}
     * @param tokenLifetime absolute lifetime of a token family
     * @param idleTokenLifetime how long an unused refresh token stays valid
     */
    public record RefreshTokenPolicy(String rotationType, String expirationType, long tokenLifetime,
            long idleTokenLifetime) {
    }
}
