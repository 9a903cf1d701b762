package dev.gatehouse.api.config;

import java.security.NoSuchAlgorithmException;
import java.security.Security;
import java.security.Signature;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

/**
 * Puts Amazon Corretto Crypto Provider (AWS-LC behind JCA) first in the JVM's provider
 * list: every DPoP proof costs one ES256 verification, and AWS-LC does it in about a
 * seventh of the CPU of the JDK's SunEC (measured for {@code benchmarks/results}). Nimbus
 * and Spring Security keep asking JCA for {@code SHA256withECDSA}; only the provider that
 * answers changes. Installing the provider JVM-wide is the way its authors document:
 * Spring's DPoP decoder builds its verifiers itself, with no hook for a provider. Where
 * the native library cannot load (not Linux x86-64) nothing is installed and the JDK's
 * providers verify.
 */
final class NativeCrypto {

    private static final Logger log = LoggerFactory.getLogger(NativeCrypto.class);

    private NativeCrypto() {
    }

    static synchronized void install(boolean enabled) {
        if (!enabled) {
            log.info("DPoP proofs verified through the JDK's providers (gatehouse.api.dpop.native-crypto=false)");
            return;
        }
        if (Security.getProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME) == null) {
            try {
                AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
                Throwable error = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
                if (error != null) {
                    throw new IllegalStateException(error);
                }
            }
            catch (RuntimeException | LinkageError ex) {
                log.info("DPoP proofs verified through the JDK's providers: Amazon Corretto Crypto Provider is not "
                        + "usable here ({})", ex.toString());
                return;
            }
            Security.insertProviderAt(AmazonCorrettoCryptoProvider.INSTANCE, 1);
        }
        log.info("DPoP proofs (ES256) verified through {}", verifyingProvider());
    }

    private static String verifyingProvider() {
        try {
            return Signature.getInstance("SHA256withECDSA").getProvider().getName();
        }
        catch (NoSuchAlgorithmException ex) {
            return "no provider for SHA256withECDSA";
        }
    }

}
