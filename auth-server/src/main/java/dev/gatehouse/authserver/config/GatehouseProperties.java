package dev.gatehouse.authserver.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

/**
 * The authorization server's own settings ({@code gatehouse.*}); each is documented in
 * the README's settings table (store settings in {@code README-store.md}).
 *
 * @param issuer the exact {@code iss} of every token and the discovery document;
 * Auth0-style, with a trailing slash (env {@code GATEHOUSE_ISSUER})
 * @param tenantFile a Deploy CLI style {@code tenant.yaml}; {@code null} loads the
 * built-in demo tenant (env {@code GATEHOUSE_TENANT_FILE})
 * @param allowDemoCredentials load the demo tenant's public credentials (its users'
 * passwords and its machine client's secret) even when the issuer is not a localhost URL
 * (env {@code GATEHOUSE_ALLOW_DEMO_CREDENTIALS})
 * @param allowDemoUsers the former name of {@code allowDemoCredentials}, still honoured
 * @param signingKeys how token signing keys are rotated and how long retired ones stay
 * published
 * @param loginThrottle how many failed logins an account or a client address may have
 * before it is blocked
 * @param cleanup how often expired rows are deleted
 * @param shutdown how a stopping instance leaves its load balancer
 * @param tokenEndpoint how many token requests run at once
 * @param signInTimeout how long a session nobody has signed in to lives without a request
 * (a login page left open); after a login the SSO timeout applies (env
 * {@code GATEHOUSE_SIGN_IN_TIMEOUT}; a bare number is seconds, as for the SSO timeout)
 */
@ConfigurationProperties("gatehouse")
public record GatehouseProperties(@DefaultValue(GatehouseProperties.DEFAULT_ISSUER) String issuer,
        @Nullable Path tenantFile, @DefaultValue("false") boolean allowDemoCredentials,
        @DefaultValue("false") boolean allowDemoUsers, @DefaultValue SigningKeys signingKeys,
        @DefaultValue LoginThrottle loginThrottle, @DefaultValue Cleanup cleanup, @DefaultValue Shutdown shutdown,
        @DefaultValue TokenEndpoint tokenEndpoint,
        @DefaultValue("PT30M") @DurationUnit(ChronoUnit.SECONDS) Duration signInTimeout) {

    public static final String DEFAULT_ISSUER = "http://localhost:9000/";

    @ConstructorBinding
    public GatehouseProperties {
        if (signInTimeout.isNegative() || signInTimeout.isZero()) {
            throw new IllegalArgumentException("gatehouse.sign-in-timeout must be positive, not " + signInTimeout);
        }
    }

    /**
     * Whether the demo tenant's public credentials may work on a non-localhost issuer.
     */
    public boolean demoCredentialsAllowed() {
        return this.allowDemoCredentials || this.allowDemoUsers;
    }

    /**
     * Token signing keys ({@code gatehouse.signing-keys.*}).
     *
     * @param rotate generate a new key at this start and make it current; set it for one
     * start only (env {@code GATEHOUSE_SIGNING_KEYS_ROTATE})
     * @param rotationPeriod rotate automatically once the current key is this old;
     * {@code null} (default) never
     * @param gracePeriod how long a replaced key stays in the JWKS so tokens it signed
     * still verify; keep it longer than the longest access-token lifetime plus resource
     * servers' JWKS cache
     * @param encryptionPassword when set, private keys are stored AES-GCM encrypted with
     * a key derived from it (env {@code GATEHOUSE_SIGNING_KEYS_ENCRYPTION_PASSWORD});
     * {@code null} stores them plain
     * @param nativeCrypto sign through Amazon Corretto Crypto Provider (AWS-LC) where its
     * native library loads (Linux x86-64), about twice as fast as the JDK's RSA;
     * {@code false} keeps the JDK's providers (env
     * {@code GATEHOUSE_SIGNING_KEYS_NATIVE_CRYPTO})
     * @param reloadInterval how often each instance re-reads the keys from the database
     * (and checks whether a rotation is due)
     * @param prePublication how long a new key is published in the JWKS before any
     * instance signs with it; must be longer than {@code reloadInterval}, so every
     * instance publishes a key before any token carries its {@code kid}
     */
    public record SigningKeys(@DefaultValue("false") boolean rotate, @Nullable Duration rotationPeriod,
            @DefaultValue("P2D") Duration gracePeriod, @Nullable String encryptionPassword,
            @DefaultValue("true") boolean nativeCrypto, @DefaultValue("PT30S") Duration reloadInterval,
            @DefaultValue("PT2M") Duration prePublication) {

        static final SigningKeys DEFAULTS = new SigningKeys(false, null, Duration.ofDays(2), null, true,
                Duration.ofSeconds(30), Duration.ofMinutes(2));

        /** Leaves the encryption password out. */
        @Override
        public String toString() {
            return "SigningKeys[rotate=" + rotate + ", rotationPeriod=" + rotationPeriod + ", gracePeriod="
                    + gracePeriod + ", encrypted=" + (encryptionPassword != null) + ", nativeCrypto=" + nativeCrypto
                    + ", reloadInterval=" + reloadInterval + ", prePublication=" + prePublication + "]";
        }
    }

    /**
     * Login throttling ({@code gatehouse.login-throttle.*}). Failures are counted per
     * account (email) and per client address inside a fixed window; reaching the limit
     * blocks further attempts for {@code blockDuration}.
     */
    public record LoginThrottle(@DefaultValue("5") int maxFailuresPerAccount,
            @DefaultValue("20") int maxFailuresPerAddress, @DefaultValue("PT15M") Duration window,
            @DefaultValue("PT15M") Duration blockDuration) {

        static final LoginThrottle DEFAULTS = new LoginThrottle(5, 20, Duration.ofMinutes(15), Duration.ofMinutes(15));

    }

    /**
     * Expired-row cleanup ({@code gatehouse.cleanup.*}): {@code interval} between two
     * runs.
     */
    public record Cleanup(@DefaultValue("PT1H") Duration interval) {

        static final Cleanup DEFAULTS = new Cleanup(Duration.ofHours(1));

    }

    /**
     * Stopping behind a load balancer ({@code gatehouse.shutdown.*}).
     *
     * @param drainDelay how long a stopping instance keeps serving with its readiness
     * down before it stops taking connections (env
     * {@code GATEHOUSE_SHUTDOWN_DRAIN_DELAY}); 0 stops at once
     */
    public record Shutdown(@DefaultValue("0s") Duration drainDelay) {
    }

    /**
     * Admission to the token endpoint ({@code gatehouse.token-endpoint.*}): requests
     * beyond {@code concurrency} wait their turn in arrival order, in two queues
     * ({@code client_credentials}, and every other grant), once their client is
     * authenticated.
     *
     * @param concurrency requests of each queue that run at once; {@code null} (default)
     * twice the number of CPUs
     * @param queueTimeout how long a request may wait for its turn before it is answered
     * 503 {@code temporarily_unavailable} with {@code Retry-After}
     */
    public record TokenEndpoint(@Nullable Integer concurrency, @DefaultValue("PT2S") Duration queueTimeout) {

        /** The configured concurrency, or twice the CPUs this JVM may use. */
        public int effectiveConcurrency() {
            return (this.concurrency != null) ? this.concurrency : 2 * Runtime.getRuntime().availableProcessors();
        }

    }

}
