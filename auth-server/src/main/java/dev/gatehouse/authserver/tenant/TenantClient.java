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
 * @param refreshToken the refresh-token policy, defaults applied
 * @param requireProofOfPossession Auth0's {@code require_proof_of_possession}: every
 * token request of this client must carry a DPoP proof
 */
public record TenantClient(String name, String clientId, @Nullable String clientSecret, AppType appType,
        List<String> callbacks, List<String> allowedLogoutUrls, List<String> webOrigins, List<String> allowedOrigins,
        List<String> grantTypes, boolean isFirstParty, RefreshTokenPolicy refreshToken,
        boolean requireProofOfPossession) {

    public TenantClient {
        callbacks = List.copyOf(callbacks);
        allowedLogoutUrls = List.copyOf(allowedLogoutUrls);
        webOrigins = List.copyOf(webOrigins);
        allowedOrigins = List.copyOf(allowedOrigins);
        grantTypes = List.copyOf(grantTypes);
    }

    /**
     * The grant type of the SDK's passkey API ({@code passkey.signup()},
     * {@code passkey.login()}), Auth0's name for it.
     */
    public static final String PASSKEY_GRANT_TYPE = "urn:okta:params:oauth:grant-type:webauthn";

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
     * A client's refresh-token policy: Auth0's {@code refresh_token} block with its
     * defaults applied (see {@link TenantFileReader}). Lifetimes are in seconds.
     *
     * @param rotating every refresh answers with a new refresh token and retires the
     * presented one ({@code rotation_type: rotating})
     * @param absoluteLifetime how long a token family lives, counted from the login;
     * {@code null} for never ({@code non-expiring} or {@code infinite_token_lifetime})
     * @param idleLifetime how long an unused refresh token stays valid; {@code null} for
     * no idle limit
     * @param leeway Auth0's reuse interval: for this long after a rotation, presenting
     * the retired token again is answered as a retry instead of as reuse; 0 (Auth0's
     * default) treats every second use as reuse
     */
    public record RefreshTokenPolicy(boolean rotating, @Nullable Long absoluteLifetime, @Nullable Long idleLifetime,
            long leeway) {

        /** Auth0's defaults for an expiring rotating refresh token: 30 days, 15 idle. */
        public static final RefreshTokenPolicy ROTATING = new RefreshTokenPolicy(true, 2_592_000L, 1_296_000L, 0);

        /** Auth0's defaults when rotation is off: the token never expires. */
        public static final RefreshTokenPolicy NON_ROTATING = new RefreshTokenPolicy(false, null, null, 0);

        /**
         * The policy of a client whose file has no {@code refresh_token} block: public
         * clients rotate (RFC 9700 section 4.14.2), confidential ones do not (Auth0's
         * default; their client authentication already binds the token).
         */
        public static RefreshTokenPolicy defaultFor(AppType appType) {
            return (appType == AppType.SPA || appType == AppType.NATIVE) ? ROTATING : NON_ROTATING;
        }

    }

}
