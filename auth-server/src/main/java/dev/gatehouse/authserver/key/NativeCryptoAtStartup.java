package dev.gatehouse.authserver.key;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.convert.ConversionFailedException;

/**
 * Installs Amazon Corretto Crypto Provider ({@link NativeSigningCrypto}) as soon as the
 * settings are known, before any bean is made, rather than when the signing keys are
 * built. Why so early: {@code java.util.UUID} picks its random source once, at its first
 * call, and SAS calls it for the {@code jti} of every token it signs. Picked before the
 * provider is installed, that source is the JDK's {@code NativePRNG}, which serves every
 * thread of the JVM behind one lock around a read of {@code /dev/urandom}; under token
 * load the request threads queued on it (JFR: waits of 10 ms and more, several every
 * second). Picked after, it is AWS-LC's generator, which needs no shared lock.
 */
class NativeCryptoAtStartup implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        Boolean enabled;
        try {
            enabled = event.getEnvironment()
                .getProperty("gatehouse.signing-keys.native-crypto", Boolean.class, Boolean.TRUE);
        }
        catch (ConversionFailedException ex) {
            // Not a boolean: the settings' binding refuses it in a moment, with the
            // message that names the setting; nothing to install before that.
            return;
        }
        NativeSigningCrypto.install(enabled);
    }

}
