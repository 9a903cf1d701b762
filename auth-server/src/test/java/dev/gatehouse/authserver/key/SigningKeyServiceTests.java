package dev.gatehouse.authserver.key;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.JWK;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.gatehouse.authserver.config.GatehouseProperties;
import dev.gatehouse.authserver.store.MutableClock;
import dev.gatehouse.authserver.store.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

class SigningKeyServiceTests {

    private final JdbcClient jdbc = TestDatabases.migratedH2();

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    private SigningKeyService service(boolean rotate, Duration period) {
        return service(rotate, period, null);
    }

    private SigningKeyService service(boolean rotate, Duration period, String encryptionPassword) {
        SigningKeyService service = new SigningKeyService(jdbc,
                new GatehouseProperties.SigningKeys(rotate, period, Duration.ofDays(2), encryptionPassword, false),
                clock);
        service.initialize();
        return service;
    }

    private String storedPrivateKey() {
        return jdbc.sql("SELECT private_key FROM signing_key").query(String.class).single();
    }

    @Test
    void withAnEncryptionPasswordPrivateKeysAreStoredEncryptedAndReadBackAfterRestart() throws Exception {
        SigningKeyService first = service(false, null, "correct horse battery staple");
        String stored = storedPrivateKey();
        assertThat(stored).startsWith("enc:v1:");
        byte[] pkcs8 = ((com.nimbusds.jose.jwk.RSAKey) first.jwkSet().getKeys().get(0)).toRSAPrivateKey().getEncoded();
        assertThat(stored).doesNotContain(java.util.Base64.getEncoder().encodeToString(pkcs8).substring(0, 40));

        SigningKeyService restarted = service(false, null, "correct horse battery staple");
        assertThat(restarted.currentKid()).isEqualTo(first.currentKid());
        assertThat(restarted.jwkSet().getKeys().get(0).isPrivate()).isTrue();
    }

    @Test
    void encryptedKeysWithAWrongOrMissingPasswordStopStartupWithAClearMessage() {
        service(false, null, "right-password");
        org.assertj.core.api.Assertions.assertThatExceptionOfType(SigningKeyException.class)
            .isThrownBy(() -> service(false, null, "wrong-password"))
            .withMessageContaining("cannot be decrypted");
        org.assertj.core.api.Assertions.assertThatExceptionOfType(SigningKeyException.class)
            .isThrownBy(() -> service(false, null, null))
            .withMessageContaining("gatehouse.signing-keys.encryption-password");
    }

    @Test
    void settingAnEncryptionPasswordLaterEncryptsTheKeysAlreadyStored() {
        String kid = service(false, null).currentKid();
        assertThat(storedPrivateKey()).doesNotStartWith("enc:");

        assertThat(service(false, null, "new-password").currentKid()).isEqualTo(kid);
        assertThat(storedPrivateKey()).startsWith("enc:v1:");
    }

    @Test
    void automaticRotationHappensOnceThePeriodHasElapsed() {
        SigningKeyService keys = service(false, Duration.ofDays(30));
        String first = keys.currentKid();

        clock.advance(Duration.ofDays(29));
        keys.refresh();
        assertThat(keys.currentKid()).isEqualTo(first);

        clock.advance(Duration.ofDays(1));
        keys.refresh();
        assertThat(keys.currentKid()).isNotEqualTo(first);
        assertThat(keys.jwkSet().getKeys()).extracting(JWK::getKeyID).containsExactly(keys.currentKid(), first);

        clock.advance(Duration.ofDays(2).plusSeconds(1));
        keys.refresh();
        assertThat(keys.jwkSet().getKeys()).extracting(JWK::getKeyID).containsExactly(keys.currentKid());
    }

    @Test
    void publishedSetHoldsThePrivatePartOfTheCurrentKeyOnlyAndTheJwksJsonNone() {
        SigningKeyService keys = service(false, null);
        String first = keys.currentKid();
        keys.rotate();

        assertThat(keys.jwkSet().getKeys()).hasSize(2);
        assertThat(keys.jwkSet().getKeys().get(0).isPrivate()).isTrue();
        assertThat(keys.jwkSet().getKeys().get(1).isPrivate()).isFalse();
        assertThat(keys.jwkSet().getKeys().get(1).getKeyID()).isEqualTo(first);
        // What the JWKS endpoint serialises: public members only.
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> published = (List<Map<String, Object>>) keys.jwkSet().toJSONObject().get("keys");
        assertThat(published).hasSize(2)
            .allSatisfy(jwk -> assertThat(jwk).doesNotContainKeys("d", "p", "q")
                .containsEntry("kty", "RSA")
                .containsEntry("alg", "RS256")
                .containsEntry("use", "sig")
                .containsKey("kid"));
    }

    @Test
    void rotateSettingReplacesTheKeyAtStartAndAnotherInstanceSeesItAfterRefresh() {
        SigningKeyService running = service(false, null);
        String first = running.currentKid();

        SigningKeyService restarted = service(true, null);
        assertThat(restarted.currentKid()).isNotEqualTo(first);

        running.refresh();
        assertThat(running.currentKid()).isEqualTo(restarted.currentKid());
    }

}
