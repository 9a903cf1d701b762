package dev.gatehouse.authserver.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.gatehouse.authserver.cleanup.ExpiredRowCleaner;
import dev.gatehouse.authserver.key.SigningKeyService;
import dev.gatehouse.authserver.tenant.ClientGrant;
import dev.gatehouse.authserver.tenant.TenantClient;
import dev.gatehouse.authserver.tenant.TenantDirectory;
import dev.gatehouse.authserver.user.EmailPasswordAuthenticationProvider;
import dev.gatehouse.authserver.user.UserAccount;
import dev.gatehouse.authserver.user.UserDirectory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The store against a real database, run once on H2 (PostgreSQL mode, file database) and
 * once on real PostgreSQL. Every "restart" is a fresh application context on the same
 * database.
 */
abstract class AbstractStorePersistenceTests {

    private static final String API = "https://gatehouse.local/api";

    @TempDir
    Path dir;

    /** A new empty database for one test. */
    abstract String newDatabaseUrl();

    abstract String username();

    abstract String password();

    private ApplicationContextRunner server(String url) {
        return StoreTestConfiguration.runner(url, username(), password());
    }

    @Test
    void demoTenantIsAppliedAndReadBackThroughTheDirectories() {
        server(newDatabaseUrl()).run(context -> {
            assertThat(context).hasNotFailed();
            TenantDirectory tenants = context.getBean(TenantDirectory.class);
            UserDirectory users = context.getBean(UserDirectory.class);

            TenantClient spa = tenants.findClient("gatehouse-spa").orElseThrow();
            assertThat(spa.webOrigins()).containsExactly("http://localhost:4200");
            assertThat(spa.clientSecret()).isNull();
            TenantClient m2m = tenants.findClient("gatehouse-m2m").orElseThrow();
            assertThat(m2m.clientSecret()).startsWith("{bcrypt}").doesNotContain("gatehouse-m2m-secret");
            assertThat(context.getBean(PasswordEncoder.class).matches("gatehouse-m2m-secret", m2m.clientSecret()))
                .isTrue();
            assertThat(tenants.clients()).extracting(TenantClient::clientId)
                .containsExactly("gatehouse-m2m", "gatehouse-spa");
            assertThat(tenants.findResourceServer(API)).hasValueSatisfying(api -> {
                assertThat(api.scopes()).extracting(s -> s.value()).containsExactly("read:messages");
                assertThat(api.skipConsentForVerifiableFirstPartyClients()).isFalse();
                assertThat(api.tokenDialect()).isEqualTo("access_token_authz");
            });
            assertThat(tenants.resourceServers()).hasSize(1);
            assertThat(tenants.findClientGrant("gatehouse-m2m", API))
                .contains(new ClientGrant("gatehouse-m2m", API, List.of("read:messages")));
            assertThat(tenants.findClientGrant("gatehouse-spa", API)).isEmpty();

            UserAccount demo = users.findByEmail("Demo@Example.com").orElseThrow();
            assertThat(demo.userId()).matches("auth0\\|[0-9a-f]{24}");
            assertThat(demo.name()).isEqualTo("Demo User");
            assertThat(users.findById(demo.userId())).contains(demo);
            assertThat(tenants.permissionsOf(demo.userId(), API)).containsExactly("read:messages");
            UserAccount viewer = users.findByEmail("viewer@example.com").orElseThrow();
            assertThat(tenants.permissionsOf(viewer.userId(), API)).isEmpty();
            assertThat(users.findByEmail("nobody@example.com")).isEmpty();

            String storedHash = jdbc(context).sql("SELECT password_hash FROM user_account WHERE user_id = ?")
                .param(demo.userId())
                .query(String.class)
                .single();
            assertThat(storedHash).startsWith("{bcrypt}").doesNotContain("Demo-Passw0rd");
        });
    }

    @Test
    void userFoundInATransactionIsFoundAgainWithoutAQueryAndOutsideItTheChangeShows() {
        server(newDatabaseUrl()).run(context -> {
            UserDirectory users = context.getBean(UserDirectory.class);
            String demo = users.findByEmail("demo@example.com").orElseThrow().userId();
            TransactionTemplate transaction = new TransactionTemplate(
                    context.getBean(PlatformTransactionManager.class));

            List<Boolean> foundInTransaction = transaction.execute((status) -> {
                boolean before = users.findById(demo).isPresent();
                // another transaction blocks the user while this one runs, and reads
                // afresh
                Boolean foundInside = new TransactionTemplate(context.getBean(PlatformTransactionManager.class),
                        new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_REQUIRES_NEW))
                    .execute((inner) -> {
                        jdbc(context).sql("UPDATE user_account SET blocked = TRUE WHERE user_id = ?")
                            .param(demo)
                            .update();
                        return users.findById(demo).isPresent();
                    });
                return List.of(before, foundInside, users.findById(demo).isPresent());
            });

            assertThat(foundInTransaction).as("one look-up per transaction, a nested one its own")
                .containsExactly(true, false, true);
            assertThat(users.findById(demo)).as("a new transaction, or none, reads again").isEmpty();
            Boolean foundLater = transaction.execute((status) -> users.findById(demo).isPresent());
            assertThat(foundLater).isFalse();
        });
    }

    @Test
    void reapplyingTheSameTenantChangesNoRowAndRestartKeepsIdsHashesAndKeys() {
        String url = newDatabaseUrl();
        AtomicReference<List<String>> before = new AtomicReference<>();
        AtomicReference<String> kid = new AtomicReference<>();
        server(url).run(context -> {
            assertThat(context).hasNotFailed();
            before.set(snapshot(jdbc(context)));
            kid.set(context.getBean(SigningKeyService.class).currentKid());
        });
        server(url).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(snapshot(jdbc(context))).isEqualTo(before.get());
            assertThat(context.getBean(SigningKeyService.class).currentKid()).isEqualTo(kid.get());
            assertThat(publishedKids(context)).containsExactly(kid.get());
        });
    }

    @Test
    void changedTenantFileUpdatesRemovesAndDisablesAndKeepsUserIds() throws IOException {
        String url = newDatabaseUrl();
        Path v1 = write("v1.yaml", """
                resourceServers:
                  - name: Orders
                    identifier: https://orders.test
                    scopes:
                      - value: read:orders
                      - value: write:orders
                  - name: Legacy
                    identifier: https://legacy.test
                clients:
                  - name: Web
                    client_id: web
                    app_type: spa
                    callbacks: [http://localhost:4200]
                  - name: Old
                    client_id: old
                    app_type: spa
                roles:
                  - name: writer
                    permissions:
                      - permission_name: write:orders
                        resource_server_identifier: https://orders.test
                users:
                  - email: stays@example.com
                    password: First-Passw0rd
                    roles: [writer]
                  - email: leaves@example.com
                    password: Leaves-Passw0rd
                """);
        Path v2 = write("v2.yaml", """
                resourceServers:
                  - name: Orders v2
                    identifier: https://orders.test
                    scopes:
                      - value: read:orders
                roles:
                  - name: reader
                    permissions:
                      - permission_name: read:orders
                        resource_server_identifier: https://orders.test
                clients:
                  - name: Web
                    client_id: web
                    app_type: spa
                    callbacks: [http://localhost:4200, http://localhost:4300]
                users:
                  - email: stays@example.com
                    password: Second-Passw0rd
                    name: Renamed
                    roles: [reader]
                """);
        AtomicReference<String> staysId = new AtomicReference<>();
        AtomicReference<String> leavesId = new AtomicReference<>();
        server(url).withPropertyValues("gatehouse.tenant-file=" + v1).run(context -> {
            assertThat(context).hasNotFailed();
            UserDirectory users = context.getBean(UserDirectory.class);
            staysId.set(users.findByEmail("stays@example.com").orElseThrow().userId());
            leavesId.set(users.findByEmail("leaves@example.com").orElseThrow().userId());
            assertThat(context.getBean(TenantDirectory.class).permissionsOf(staysId.get(), "https://orders.test"))
                .containsExactly("write:orders");
        });
        server(url).withPropertyValues("gatehouse.tenant-file=" + v2).run(context -> {
            assertThat(context).hasNotFailed();
            TenantDirectory tenants = context.getBean(TenantDirectory.class);
            UserDirectory users = context.getBean(UserDirectory.class);
            assertThat(tenants.clients()).extracting(TenantClient::clientId).containsExactly("web");
            assertThat(tenants.findClient("web").orElseThrow().callbacks()).containsExactly("http://localhost:4200",
                    "http://localhost:4300");
            assertThat(tenants.resourceServers()).singleElement().satisfies(api -> {
                assertThat(api.name()).isEqualTo("Orders v2");
                assertThat(api.scopes()).extracting(s -> s.value()).containsExactly("read:orders");
            });
            UserAccount stays = users.findByEmail("stays@example.com").orElseThrow();
            assertThat(stays.userId()).isEqualTo(staysId.get());
            assertThat(stays.name()).isEqualTo("Renamed");
            assertThat(tenants.permissionsOf(stays.userId(), "https://orders.test")).containsExactly("read:orders");
            assertThat(login(context, "stays@example.com", "Second-Passw0rd", "10.0.0.1").getName())
                .isEqualTo(staysId.get());
            // Removed users are disabled, not deleted: invisible, cannot log in, id kept
            // for a comeback.
            assertThat(users.findByEmail("leaves@example.com")).isEmpty();
            assertThat(users.findById(leavesId.get())).isEmpty();
            assertThatExceptionOfType(BadCredentialsException.class)
                .isThrownBy(() -> login(context, "leaves@example.com", "Leaves-Passw0rd", "10.0.0.2"));
        });
        server(url).withPropertyValues("gatehouse.tenant-file=" + v1).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(UserDirectory.class).findByEmail("leaves@example.com").orElseThrow().userId())
                .isEqualTo(leavesId.get());
        });
    }

    @Test
    void signedUpUsersOutliveTheImportAndATenantUserWithTheirEmailGetsAFreshAccount() throws IOException {
        String url = newDatabaseUrl();
        Path v1 = write("signup-v1.yaml", """
                clients: [{name: Web, client_id: web, app_type: spa}]
                users: [{email: stays@example.com, password: First-Passw0rd}]
                """);
        Path v2 = write("signup-v2.yaml", """
                clients: [{name: Web, client_id: web, app_type: spa}]
                users:
                  - {email: stays@example.com, password: First-Passw0rd}
                  - {email: taken@example.com, password: Owner-Passw0rd}
                """);
        server(url).withPropertyValues("gatehouse.tenant-file=" + v1).run(context -> {
            assertThat(context).hasNotFailed();
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            jdbc.sql("INSERT INTO user_account (user_id, email, name, email_verified, password_hash, enabled, blocked, "
                    + "created_at, signed_up) VALUES ('auth0|signedup', 'taken@example.com', 'Stranger', FALSE, NULL, "
                    + "TRUE, FALSE, CURRENT_TIMESTAMP, TRUE)")
                .update();
            jdbc.sql("INSERT INTO user_entities (id, name, display_name) VALUES ('aGFuZGxl', 'auth0|signedup', 'x')")
                .update();
        });
        server(url).withPropertyValues("gatehouse.tenant-file=" + v1).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(UserDirectory.class).findByEmail("taken@example.com").orElseThrow().userId())
                .isEqualTo("auth0|signedup");
        });
        server(url).withPropertyValues("gatehouse.tenant-file=" + v2).run(context -> {
            assertThat(context).hasNotFailed();
            UserDirectory users = context.getBean(UserDirectory.class);
            assertThat(users.findByEmail("taken@example.com").orElseThrow().userId()).isNotEqualTo("auth0|signedup");
            assertThat(users.findById("auth0|signedup")).isEmpty();
            assertThat(context.getBean(JdbcClient.class)
                .sql("SELECT COUNT(*) FROM user_entities WHERE name = 'auth0|signedup'")
                .query(Integer.class)
                .single()).isZero();
            assertThat(login(context, "taken@example.com", "Owner-Passw0rd", "10.0.0.9").getName())
                .isNotEqualTo("auth0|signedup");
        });
    }

    @Test
    void invalidTenantFileStopsStartupAndWritesNothing() throws IOException {
        String url = newDatabaseUrl();
        Path bad = write("bad.yaml", """
                clients:
                  - name: SPA
                    client_id: spa
                    app_type: desktop
                """);
        server(url).withPropertyValues("gatehouse.tenant-file=" + bad).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("clients[0].app_type")
                .hasMessageContaining("line 4");
        });
        server(url).run(context -> assertThat(context.getBean(TenantDirectory.class).findClient("spa")).isEmpty());
    }

    @Test
    void demoUsersAreRefusedForANonLocalIssuerUnlessExplicitlyAllowed() {
        server(newDatabaseUrl()).withPropertyValues("gatehouse.issuer=https://auth.example.com/").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(UserDirectory.class).findByEmail("demo@example.com")).isEmpty();
            assertThat(context.getBean(TenantDirectory.class).findClient("gatehouse-spa")).isPresent();
        });
        server(newDatabaseUrl())
            .withPropertyValues("gatehouse.issuer=https://auth.example.com/", "gatehouse.allow-demo-users=true")
            .run(context -> assertThat(context.getBean(UserDirectory.class).findByEmail("demo@example.com"))
                .isPresent());
    }

    @Test
    void loginReturnsAUserPrincipalNamedByTheSubjectWithThePasswordFactor() {
        server(newDatabaseUrl()).run(context -> {
            Authentication result = login(context, "DEMO@example.com", "Demo-Passw0rd", "10.0.0.1");
            String userId = context.getBean(UserDirectory.class).findByEmail("demo@example.com").orElseThrow().userId();
            assertThat(result.isAuthenticated()).isTrue();
            assertThat(result.getName()).isEqualTo(userId);
            assertThat(result.getPrincipal()).isInstanceOf(User.class);
            assertThat(result.getAuthorities()).extracting(a -> a.getAuthority())
                .contains(FactorGrantedAuthority.PASSWORD_AUTHORITY);
            assertThat(result.getDetails()).isInstanceOf(WebAuthenticationDetails.class);
        });
    }

    @Test
    void unknownEmailAndWrongPasswordFailTheSameWay() {
        server(newDatabaseUrl()).run(context -> {
            BadCredentialsException unknown = catchLogin(context, "nobody@example.com", "Demo-Passw0rd", "10.0.0.1");
            BadCredentialsException wrong = catchLogin(context, "demo@example.com", "not-the-password", "10.0.0.1");
            assertThat(unknown.getMessage()).isEqualTo(wrong.getMessage())
                .isEqualTo(EmailPasswordAuthenticationProvider.FAILURE_MESSAGE);
        });
    }

    @Test
    void unknownEmailTakesAboutAsLongAsAWrongPassword() {
        server(newDatabaseUrl())
            .withPropertyValues("gatehouse.login-throttle.max-failures-per-account=1000",
                    "gatehouse.login-throttle.max-failures-per-address=1000")
            .run(context -> {
                catchLogin(context, "warmup@example.com", "x", "10.0.0.9");
                catchLogin(context, "demo@example.com", "x", "10.0.0.9");
                long unknown = medianNanos(() -> catchLogin(context, "nobody@example.com", "guess", "10.0.0.1"));
                long wrong = medianNanos(() -> catchLogin(context, "demo@example.com", "guess", "10.0.0.1"));
                // Both run one bcrypt check (about 60 ms here); a skipped check would be
                // over ten times faster.
                assertThat((double) unknown).isGreaterThan(wrong * 0.5);
            });
    }

    @Test
    void tooManyFailuresBlockTheAccountFromThatAddressEvenWithTheRightPasswordButNotTheOwnerElsewhere() {
        server(newDatabaseUrl()).withPropertyValues("gatehouse.login-throttle.max-failures-per-account=3")
            .run(context -> {
                for (int i = 0; i < 3; i++) {
                    catchLogin(context, "demo@example.com", "wrong-" + i, "10.0.0.1");
                }
                BadCredentialsException blocked = catchLogin(context, "demo@example.com", "Demo-Passw0rd", "10.0.0.1");
                assertThat(blocked.getMessage()).isEqualTo(EmailPasswordAuthenticationProvider.FAILURE_MESSAGE);
                // Other accounts, and the owner signing in from another address, are not
                // affected: nobody can lock an account out from elsewhere.
                assertThat(login(context, "viewer@example.com", "Viewer-Passw0rd", "10.0.0.1").isAuthenticated())
                    .isTrue();
                assertThat(login(context, "demo@example.com", "Demo-Passw0rd", "10.0.0.99").isAuthenticated()).isTrue();
            });
    }

    @Test
    void tooManyFailuresFromOneAddressBlockThatAddressForEveryAccount() {
        server(newDatabaseUrl()).withPropertyValues("gatehouse.login-throttle.max-failures-per-address=4")
            .run(context -> {
                for (int i = 0; i < 4; i++) {
                    catchLogin(context, "user" + i + "@example.com", "guess", "192.0.2.7");
                }
                catchLogin(context, "demo@example.com", "Demo-Passw0rd", "192.0.2.7");
                assertThat(login(context, "demo@example.com", "Demo-Passw0rd", "192.0.2.8").isAuthenticated()).isTrue();
            });
    }

    @Test
    void rotationPublishesBothKeysSignsWithTheNewOneAndSurvivesRestart() {
        String url = newDatabaseUrl();
        AtomicReference<String> first = new AtomicReference<>();
        AtomicReference<Jwt> oldToken = new AtomicReference<>();
        server(url).run(context -> {
            first.set(context.getBean(SigningKeyService.class).currentKid());
            oldToken.set(sign(context));
            assertThat(oldToken.get().getHeaders()).containsEntry("kid", first.get());
        });
        server(url)
            .withPropertyValues("gatehouse.signing-keys.rotate=true", "gatehouse.signing-keys.reload-interval=PT1S",
                    "gatehouse.signing-keys.pre-publication=PT2S")
            .run(context -> {
                SigningKeyService keys = context.getBean(SigningKeyService.class);
                String second = publishedKids(context).get(0);
                assertThat(second).isNotEqualTo(first.get());
                assertThat(publishedKids(context)).containsExactly(second, first.get());
                assertThat(keys.currentKid()).as("pre-published, not signing yet").isEqualTo(first.get());
                Thread.sleep(2_100);
                Jwt newToken = sign(context);
                assertThat(newToken.getHeaders()).containsEntry("kid", second);
                assertThat(newToken.getHeaders().get("alg")).hasToString("RS256");
                // Tokens signed by either key verify against the published set.
                NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(context.getBean(JWKSource.class)).build();
                assertThat(decoder.decode(newToken.getTokenValue()).getSubject()).isEqualTo("auth0|test");
                assertThat(decoder.decode(oldToken.get().getTokenValue()).getSubject()).isEqualTo("auth0|test");
            });
        server(url).run(context -> assertThat(publishedKids(context)).hasSize(2));
    }

    @Test
    void retiredKeysLeaveTheJwksAfterTheGracePeriodAndTheCleanupDeletesThem() {
        String url = newDatabaseUrl();
        AtomicReference<String> first = new AtomicReference<>();
        server(url).run(context -> first.set(context.getBean(SigningKeyService.class).currentKid()));
        server(url).withPropertyValues("gatehouse.signing-keys.rotate=true").run(context -> {
            // Backdate the retirement beyond the default two-day grace period.
            jdbc(context).sql("UPDATE signing_key SET retired_at = ? WHERE kid = ?")
                .params(java.sql.Timestamp.from(Instant.now().minusSeconds(3 * 86_400)), first.get())
                .update();
        });
        server(url).run(context -> {
            assertThat(publishedKids(context)).doesNotContain(first.get()).hasSize(1);
            Map<String, Integer> deleted = context.getBean(ExpiredRowCleaner.class).clean();
            assertThat(deleted).containsEntry("signing_key", 1);
            assertThat(jdbc(context).sql("SELECT COUNT(*) FROM signing_key").query(Integer.class).single())
                .isEqualTo(1);
        });
    }

    @Test
    void cleanupDeletesExpiredThrottleRowsOnly() {
        server(newDatabaseUrl()).run(context -> {
            catchLogin(context, "demo@example.com", "wrong", "10.0.0.1");
            JdbcClient jdbc = jdbc(context);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM login_throttle").query(Integer.class).single()).isEqualTo(2);
            assertThat(context.getBean(ExpiredRowCleaner.class).clean()).containsEntry("login_throttle", 0);
            jdbc.sql("UPDATE login_throttle SET expires_at = ?")
                .param(java.sql.Timestamp.from(Instant.now().minusSeconds(1)))
                .update();
            assertThat(context.getBean(ExpiredRowCleaner.class).clean()).containsEntry("login_throttle", 2);
        });
    }

    @Test
    void cleanupDeletesExpiredPasskeyChallengesAndCeremoniesOnly() {
        server(newDatabaseUrl()).run(context -> {
            JdbcClient jdbc = jdbc(context);
            java.sql.Timestamp past = java.sql.Timestamp.from(Instant.now().minusSeconds(1));
            java.sql.Timestamp future = java.sql.Timestamp.from(Instant.now().plusSeconds(300));
            jdbc.sql("INSERT INTO webauthn_challenge_used (challenge_hash, expires_at) VALUES ('old', ?), ('new', ?)")
                .params(past, future)
                .update();
            jdbc.sql("INSERT INTO passkey_auth_session (session_hash, client_id, kind, ceremony, expires_at) "
                    + "VALUES ('old', 'spa', 'login', '{}', ?), ('new', 'spa', 'login', '{}', ?)")
                .params(past, future)
                .update();
            assertThat(context.getBean(ExpiredRowCleaner.class).clean()).containsEntry("webauthn_challenge_used", 1)
                .containsEntry("passkey_auth_session", 1);
            assertThat(jdbc.sql("SELECT challenge_hash FROM webauthn_challenge_used").query(String.class).list())
                .containsExactly("new");
            assertThat(jdbc.sql("SELECT session_hash FROM passkey_auth_session").query(String.class).list())
                .containsExactly("new");
        });
    }

    @Test
    void cleanupDeletesAuthorizationsWhoseEveryTokenExpiredAndKeepsTheRest() {
        server(newDatabaseUrl()).run(context -> {
            JdbcClient jdbc = jdbc(context);
            java.sql.Timestamp past = java.sql.Timestamp.from(Instant.now().minusSeconds(60));
            java.sql.Timestamp future = java.sql.Timestamp.from(Instant.now().plusSeconds(3600));
            insertAuthorization(jdbc, "all-expired", past, past);
            insertAuthorization(jdbc, "refresh-alive", past, future);
            insertAuthorization(jdbc, "refresh-never-expires", past, null);
            jdbc.sql("INSERT INTO oauth2_authorization (id, registered_client_id, principal_name, "
                    + "authorization_grant_type, state) VALUES ('pending', 'c', 'auth0|x', 'authorization_code', 's')")
                .update();
            // A login abandoned at the consent page two days ago: no token, only its
            // state
            jdbc.sql("INSERT INTO oauth2_authorization (id, registered_client_id, principal_name, "
                    + "authorization_grant_type, state, created_at) VALUES ('abandoned', 'c', 'auth0|x', "
                    + "'authorization_code', 's2', ?)")
                .param(java.sql.Timestamp.from(Instant.now().minusSeconds(2 * 86400)))
                .update();
            jdbc.sql("INSERT INTO refresh_token_rotated (token_hash, authorization_id, rotated_at, expires_at) "
                    + "VALUES ('h1', 'all-expired', ?, ?), ('h2', 'refresh-alive', ?, ?)")
                .params(past, past, past, future)
                .update();

            Map<String, Integer> deleted = context.getBean(ExpiredRowCleaner.class).clean();

            assertThat(deleted).containsEntry("oauth2_authorization", 1)
                .containsEntry("refresh_token_rotated", 1)
                .containsEntry("oauth2_authorization_abandoned", 1);
            assertThat(jdbc.sql("SELECT id FROM oauth2_authorization ORDER BY id").query(String.class).list())
                .containsExactly("pending", "refresh-alive", "refresh-never-expires");
            assertThat(jdbc.sql("SELECT token_hash FROM refresh_token_rotated").query(String.class).list())
                .containsExactly("h2");
        });
    }

    private static void insertAuthorization(JdbcClient jdbc, String id, java.sql.Timestamp accessExpiry,
            java.sql.@org.jspecify.annotations.Nullable Timestamp refreshExpiry) {
        jdbc.sql(
                "INSERT INTO oauth2_authorization (id, registered_client_id, principal_name, authorization_grant_type, "
                        + "access_token_value, access_token_expires_at, refresh_token_value, refresh_token_expires_at) "
                        + "VALUES (?, 'c', 'auth0|x', 'authorization_code', ?, ?, ?, ?)")
            .params(id, "at-" + id, accessExpiry, "rt-" + id, refreshExpiry)
            .update();
    }

    private static Jwt sign(ApplicationContext context) {
        JwtClaimsSet claims = JwtClaimsSet.builder()
            .issuer("http://localhost:9000/")
            .subject("auth0|test")
            .issuedAt(Instant.now())
            .expiresAt(Instant.now().plusSeconds(60))
            .build();
        return context.getBean(JwtEncoder.class)
            .encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(), claims));
    }

    @SuppressWarnings("unchecked")
    private static List<String> publishedKids(ApplicationContext context) throws Exception {
        JWKSource<SecurityContext> source = context.getBean(JWKSource.class);
        return source.get(new JWKSelector(new JWKMatcher.Builder().build()), null).stream().map(jwk -> {
            assertThat(jwk).isInstanceOf(RSAKey.class);
            assertThat(jwk.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
            assertThat(jwk.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
            assertThat(((RSAKey) jwk).size()).isEqualTo(2048);
            return jwk.getKeyID();
        }).toList();
    }

    private static Authentication login(ApplicationContext context, String email, String password, String address) {
        UsernamePasswordAuthenticationToken request = UsernamePasswordAuthenticationToken.unauthenticated(email,
                password);
        request.setDetails(new WebAuthenticationDetails(address, null));
        return context.getBean(EmailPasswordAuthenticationProvider.class).authenticate(request);
    }

    private static BadCredentialsException catchLogin(ApplicationContext context, String email, String password,
            String address) {
        try {
            login(context, email, password, address);
        }
        catch (BadCredentialsException ex) {
            return ex;
        }
        throw new AssertionError("login of " + email + " should have failed");
    }

    private static long medianNanos(Runnable action) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            action.run();
            times.add(System.nanoTime() - start);
        }
        times.sort(null);
        return times.get(2);
    }

    private static JdbcClient jdbc(ApplicationContext context) {
        return context.getBean(JdbcClient.class);
    }

    /** Every row of the tenant and user tables, as text, in a stable order. */
    private static List<String> snapshot(JdbcClient jdbc) {
        List<String> rows = new ArrayList<>();
        for (String table : List.of("resource_server", "resource_server_scope", "tenant_client", "client_grant",
                "tenant_role", "role_permission", "user_account", "user_role", "signing_key")) {
            jdbc.sql("SELECT * FROM " + table).query((rs, n) -> {
                StringBuilder row = new StringBuilder(table);
                for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                    row.append('|').append(rs.getString(c));
                }
                return row.toString();
            }).list().forEach(rows::add);
        }
        rows.sort(null);
        return rows;
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

}
