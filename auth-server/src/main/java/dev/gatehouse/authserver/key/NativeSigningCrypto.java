package dev.gatehouse.authserver.key;

import java.security.Security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

/**
 * Puts Amazon Corretto Crypto Provider (AWS-LC behind JCA) first in the JVM's provider
 * list, so the RS256 signature of every token, the largest single cost of the token
 * endpoint, takes about half the CPU of the JDK's own RSA (measured by
 * {@code benchmarks/micro/run-crypto}). Nimbus and Spring Security keep asking JCA for
 * {@code SHA256withRSA} as before; only the provider answering changes, and what it signs
 * verifies anywhere.
 *
 * <p>
 * Installing the provider is the JVM-wide step its authors document; there is no
 * per-signer hook, because {@code NimbusJwtEncoder} builds its signers from a static
 * factory. Where the native library cannot load (not Linux x86-64) or its self-test
 * fails, nothing is installed and the JDK's providers sign.
 */
final class NativeSigningCrypto {

    private static final Logger log = LoggerFactory.getLogger(NativeSigningCrypto.class);

    private NativeSigningCrypto() {
    }

    /**
     * Installs the provider once per JVM when enabled and healthy; returns the provider
     * that signs RS256.
     */
    static synchronized String install(boolean enabled) {
        if (!enabled) {
            log.info("RS256 signing through the JDK's providers (gatehouse.signing-keys.native-crypto=false)");
            return signingProvider();
        }
        if (Security.getProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME) == null) {
            Throwable error = loadingError();
            if (error != null) {
                log.info("RS256 signing through the JDK's providers: Amazon Corretto Crypto Provider is not usable "
                        + "here ({})", error.toString());
                return signingProvider();
            }
            Security.insertProviderAt(AmazonCorrettoCryptoProvider.INSTANCE, 1);
            log.info("RS256 signing through Amazon Corretto Crypto Provider {} (AWS-LC {})",
                    AmazonCorrettoCryptoProvider.INSTANCE.getVersionStr(),
                    AmazonCorrettoCryptoProvider.INSTANCE.getAwsLcVersionStr());
        }
        return signingProvider();
    }

    private static Throwable loadingError() {
        try {
            AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
            return AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
        }
        catch (RuntimeException | LinkageError ex) {
            return ex;
        }
    }

    /** The name of the provider JCA picks first for RS256 signatures. */
    static String signingProvider() {
        try {
            return java.security.Signature.getInstance("SHA256withRSA").getProvider().getName();
        }
        catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException("No provider for SHA256withRSA", ex);
        }
    }

}
