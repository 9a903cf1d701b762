package dev.gatehouse.authserver.key;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.nimbusds.jose.jwk.JWK;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.gatehouse.authserver.config.GatehouseProperties;
import dev.gatehouse.authserver.store.MutableClock;
import dev.gatehouse.authserver.store.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SigningKeyServiceTests {

    private static final Duration RELOAD = Duration.ofSeconds(30);

    private static final Duration PRE_PUBLICATION = Duration.ofMinutes(2);

    private HikariDataSource pool = TestDatabases.migratedPool(false);

    private JdbcClient jdbc = JdbcClient.create(this.pool);

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    /**
     * The shared embedded PostgreSQL takes a hundred connections; an open pool keeps its
     * idle ones.
     */
    @AfterEach
    void closePool() {
        this.pool.close();
    }

    private SigningKeyService service(boolean rotate, Duration period) {
        return service(rotate, period, null);
    }

    private SigningKeyService service(boolean rotate, Duration period, String encryptionPassword) {
        SigningKeyService service = unstarted(rotate, period, encryptionPassword);
        service.initialize();
        return service;
    }

    private SigningKeyService unstarted(boolean rotate, Duration period, String encryptionPassword) {
        return new SigningKeyService(this.jdbc, new TransactionTemplate(new DataSourceTransactionManager(this.pool)),
                new GatehouseProperties.SigningKeys(rotate, period, Duration.ofDays(2), encryptionPassword, false,
                        RELOAD, PRE_PUBLICATION),
                this.clock);
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
    void automaticRotationPrePublishesTheNewKeyBeforeItSigns() {
        SigningKeyService keys = service(false, Duration.ofDays(30));
        String first = keys.currentKid();

        this.clock.advance(Duration.ofDays(29));
        keys.refresh();
        assertThat(keys.currentKid()).isEqualTo(first);
        assertThat(kids(keys)).containsExactly(first);

        this.clock.advance(Duration.ofDays(1));
        keys.refresh();
        String second = kids(keys).get(0);
        assertThat(kids(keys)).as("published at once").containsExactly(second, first);
        assertThat(keys.currentKid()).as("not signing yet").isEqualTo(first);

        this.clock.advance(PRE_PUBLICATION);
        assertThat(keys.currentKid()).as("signs once the pre-publication has passed, without a reload")
            .isEqualTo(second);
        keys.refresh();
        assertThat(kids(keys)).containsExactly(second, first);

        this.clock.advance(Duration.ofDays(2).plusSeconds(1));
        keys.refresh();
        assertThat(kids(keys)).containsExactly(second);
    }

    @Test
    void publishedSetHoldsThePrivatePartsOfTheKeysThatMaySignAndTheJwksJsonNone() {
        SigningKeyService keys = service(false, null);
        String first = keys.currentKid();
        String second = keys.rotate();
        this.clock.advance(PRE_PUBLICATION);
        keys.refresh();

        assertThat(keys.currentKid()).isEqualTo(second);
        assertThat(keys.jwkSet().getKeyByKeyId(second).isPrivate()).isTrue();
        assertThat(keys.jwkSet().getKeyByKeyId(first).isPrivate()).as("retired").isFalse();
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
    void rotateSettingPublishesANewKeyThatEveryInstancePublishesBeforeAnySignsWithIt() {
        SigningKeyService running = service(false, null);
        String first = running.currentKid();

        SigningKeyService restarted = service(true, null);
        String second = kids(restarted).get(0);
        assertThat(second).isNotEqualTo(first);
        assertThat(restarted.currentKid()).isEqualTo(first);

        this.clock.advance(RELOAD);
        running.refresh();
        assertThat(kids(running)).as("the other instance publishes it within one reload").contains(second);
        assertThat(running.currentKid()).isEqualTo(first);

        this.clock.advance(PRE_PUBLICATION.minus(RELOAD));
        assertThat(running.currentKid()).isEqualTo(second);
        assertThat(restarted.currentKid()).isEqualTo(second);
    }

    @Test
    void rotatingTwiceBeforeTheNewKeySignsMakesOneNewKey() {
        SigningKeyService keys = service(false, null);
        String second = keys.rotate();
        assertThat(keys.rotate()).isEqualTo(second);
        assertThat(service(true, null).jwkSet().getKeys()).hasSize(2);
    }

    @Test
    void anInstanceThatMeetsAKidItDoesNotHoldReadsTheKeysAgainAtOnce() {
        SigningKeyService stale = service(false, null);
        SigningKeyService other = service(false, null);
        String second = other.rotate();
        this.clock.advance(PRE_PUBLICATION);

        assertThat(stale.jwkSet().getKeyByKeyId(second)).isNull();
        assertThat(stale.reloadForUnknownKid(second)).isTrue();
        assertThat(stale.currentKid()).isEqualTo(second);
        assertThat(stale.reloadForUnknownKid("made-up")).isFalse();
    }

    @Test
    void keySetReadLongerAgoThanThePrePublicationPeriodIsReadAgainOrNotReady() {
        SigningKeyService stuck = service(false, null);
        String second = service(false, null).rotate();
        this.clock.advance(PRE_PUBLICATION.minusSeconds(1));
        assertThat(stuck.holdsEveryKeyInUse()).isTrue();
        assertThat(stuck.jwkSet().getKeyByKeyId(second)).as("not read again within the period").isNull();

        this.clock.advance(Duration.ofSeconds(1));
        assertThat(stuck.holdsEveryKeyInUse()).isTrue();
        assertThat(stuck.jwkSet().getKeyByKeyId(second)).as("read again at the check").isNotNull();

        this.clock.advance(PRE_PUBLICATION);
        this.pool.close();
        assertThat(stuck.holdsEveryKeyInUse()).isFalse();
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = { false, true })
    void instancesStartingTogetherOnAnEmptyDatabaseAgreeOnOneKey(boolean postgres) throws Exception {
        this.pool.close();
        this.pool = TestDatabases.migratedPool(postgres);
        this.jdbc = JdbcClient.create(this.pool);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> started = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                SigningKeyService instance = unstarted(false, null, null);
                started.add(threads.submit(() -> {
                    go.await();
                    instance.initialize();
                    return instance.currentKid();
                }));
            }
            go.countDown();
            Set<String> kids = new HashSet<>();
            for (Future<String> kid : started) {
                kids.add(kid.get());
            }
            assertThat(kids).hasSize(1);
            assertThat(this.jdbc.sql("SELECT COUNT(*) FROM signing_key").query(Integer.class).single()).isEqualTo(1);
        }
        finally {
            threads.shutdownNow();
        }
    }

    @Test
    void prePublicationNoLongerThanTheReloadIntervalIsRefusedAtStartup() {
        assertThatExceptionOfType(SigningKeyException.class)
            .isThrownBy(() -> new SigningKeyService(this.jdbc,
                    new TransactionTemplate(new DataSourceTransactionManager(this.pool)),
                    new GatehouseProperties.SigningKeys(false, null, Duration.ofDays(2), null, false,
                            Duration.ofMinutes(1), Duration.ofMinutes(1)),
                    this.clock))
            .withMessageContaining("pre-publication")
            .withMessageContaining("reload-interval");
    }

    private static List<String> kids(SigningKeyService keys) {
        return keys.jwkSet().getKeys().stream().map(JWK::getKeyID).toList();
    }

}
