package dev.gatehouse.authserver.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;

/**
 * The provider switch behind {@code gatehouse.signing-keys.native-crypto}: on, RS256
 * signatures are made by AWS-LC and a plain JDK verifier accepts them; off, the JDK's
 * providers stay in charge. Provider state is JVM-wide, so each test puts it back as it
 * found it.
 */
class NativeSigningCryptoTests {

    private Provider installedBefore;

    @BeforeEach
    void remember() {
        this.installedBefore = Security.getProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
        Security.removeProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
    }

    @AfterEach
    void restore() {
        Security.removeProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
        if (this.installedBefore != null) {
            Security.insertProviderAt(this.installedBefore, 1);
        }
    }

    @Test
    void nativeCryptoOnSignsThroughAwsLcAndTheJdkVerifiesTheSignature() throws Exception {
        assumeTrue("Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch")),
                "the bundled native library is for Linux x86-64");
        assertThat(NativeSigningCrypto.install(true)).isEqualTo(AmazonCorrettoCryptoProvider.PROVIDER_NAME);

        KeyPair keys = jdkKeyPair();
        Signature chosen = Signature.getInstance("SHA256withRSA");
        chosen.initSign(keys.getPrivate());
        assertThat(chosen.getProvider().getName()).isEqualTo(AmazonCorrettoCryptoProvider.PROVIDER_NAME);

        JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.RS256), new Payload("{\"sub\":\"x\"}"));
        jws.sign(new RSASSASigner(keys.getPrivate()));
        Signature jdk = Signature.getInstance("SHA256withRSA", "SunRsaSign");
        jdk.initVerify((RSAPublicKey) keys.getPublic());
        jdk.update(jws.getSigningInput());
        assertThat(jdk.verify(jws.getSignature().decode())).isTrue();
        // Installing again (a second application context in the same JVM) keeps one entry
        NativeSigningCrypto.install(true);
        assertThat(java.util.Arrays.stream(Security.getProviders())
            .filter(p -> p.getName().equals(AmazonCorrettoCryptoProvider.PROVIDER_NAME))).hasSize(1);
    }

    @Test
    void nativeCryptoOffKeepsTheJdkProviders() throws Exception {
        assertThat(NativeSigningCrypto.install(false)).isNotEqualTo(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
        assertThat(Security.getProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME)).isNull();
        Signature chosen = Signature.getInstance("SHA256withRSA");
        chosen.initSign(jdkKeyPair().getPrivate());
        chosen.update("x".getBytes(StandardCharsets.US_ASCII));
        assertThat(chosen.getProvider().getName()).isEqualTo("SunRsaSign");
    }

    @Test
    void theProviderIsInstalledWhenTheSettingsAreKnownSoRandomSourcesMadeLaterUseIt() {
        assumeTrue("Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch")),
                "the bundled native library is for Linux x86-64");
        List<ApplicationListener> listeners = SpringFactoriesLoader.forDefaultResourceLocation()
            .load(ApplicationListener.class);
        assertThat(listeners).hasAtLeastOneElementOfType(NativeCryptoAtStartup.class);
        NativeCryptoAtStartup listener = new NativeCryptoAtStartup();

        listener.onApplicationEvent(environmentPrepared("gatehouse.signing-keys.native-crypto=false"));
        assertThat(Security.getProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME)).isNull();
        // Not a boolean: left to the settings' binding to refuse, with its usual message
        listener.onApplicationEvent(environmentPrepared("gatehouse.signing-keys.native-crypto=maybe"));
        assertThat(Security.getProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME)).isNull();
        assertThat(new SecureRandom().getProvider().getName()).isNotEqualTo(AmazonCorrettoCryptoProvider.PROVIDER_NAME);

        listener.onApplicationEvent(environmentPrepared());
        // What java.util.UUID picks for its first call from here on: AWS-LC, not the
        // JDK's
        // NativePRNG behind one lock for the whole JVM
        assertThat(new SecureRandom().getProvider().getName()).isEqualTo(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
    }

    private static ApplicationEnvironmentPreparedEvent environmentPrepared(String... properties) {
        StandardEnvironment environment = new StandardEnvironment();
        TestPropertyValues.of(properties).applyTo(environment);
        return new ApplicationEnvironmentPreparedEvent(new DefaultBootstrapContext(), new SpringApplication(),
                new String[0], environment);
    }

    private static KeyPair jdkKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

}
