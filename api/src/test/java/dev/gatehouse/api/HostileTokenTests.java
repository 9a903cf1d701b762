package dev.gatehouse.api;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gatehouse.api.support.ApiAgainstTestIssuer;
import dev.gatehouse.api.support.ApiClient;
import dev.gatehouse.api.support.TestIssuer;

import static dev.gatehouse.api.support.ErrorAssertions.assertCleanErrorBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile and broken tokens, each sent to {@code /api/external} over real HTTP: every one
 * must get 401 (400 where the Authorization header itself is malformed), an RFC 6750
 * challenge and a clean JSON body. The issuer publishes its keys without {@code alg}, so
 * only the API's own allow-list can stop RS384, PS256 and friends.
 */
class HostileTokenTests extends ApiAgainstTestIssuer {

    static final TestIssuer issuer = TestIssuer.start();

    static final String MALFORMED_CNF = "The token's confirmation claim (cnf) is malformed";

    static {
        issuer.publishWithoutAlg();
    }

    static Stream<Arguments> invalidTokens() {
        Instant now = Instant.now();
        return Stream.of(
                // claims
                invalid("no exp", () -> issuer.token((c) -> c.expirationTime(null))),
                invalid("expired 2 minutes ago",
                        () -> issuer.token((c) -> c.issueTime(Date.from(now.minusSeconds(600)))
                            .expirationTime(Date.from(now.minusSeconds(120))))),
                invalid("expired beyond the 60 s skew",
                        () -> issuer.token((c) -> c.issueTime(Date.from(now.minusSeconds(600)))
                            .expirationTime(Date.from(now.minusSeconds(75))))),
                invalid("nbf 2 minutes ahead",
                        () -> issuer.token((c) -> c.notBeforeTime(Date.from(now.plusSeconds(120))))),
                invalid("nbf beyond the 60 s skew",
                        () -> issuer.token((c) -> c.notBeforeTime(Date.from(now.plusSeconds(75))))),
                invalid("iat in the future",
                        () -> issuer.token((c) -> c.issueTime(Date.from(now.plusSeconds(120)))
                            .expirationTime(Date.from(now.plusSeconds(600))))),
                invalid("exp as a string",
                        () -> issuer.token((c) -> c.expirationTime(null)
                            .claim("exp", String.valueOf(now.plusSeconds(300).getEpochSecond())))),
                invalid("wrong iss", () -> issuer.token((c) -> c.issuer("https://evil.example/"))),
                invalid("iss without the trailing slash", () -> issuer.token((c) -> c.issuer(strip(issuer.issuer())))),
                invalid("iss in upper case", () -> issuer.token((c) -> c.issuer(issuer.issuer().toUpperCase()))),
                invalid("iss with a path", () -> issuer.token((c) -> c.issuer(issuer.issuer() + "tenant/"))),
                invalid("no iss", () -> issuer.token((c) -> c.issuer(null))),
                invalid("iss as an array",
                        () -> issuer.token((c) -> c.issuer(null).claim("iss", List.of(issuer.issuer())))),
                invalid("wrong aud", () -> issuer.token((c) -> c.audience("https://other.example/api"))),
                invalid("aud as a prefix", () -> issuer.token((c) -> c.audience("https://gatehouse.local/ap"))),
                invalid("no aud", () -> issuer.token((c) -> c.audience((String) null))),
                // algorithms and keys
                invalid("alg none", () -> new PlainJWT(issuer.validClaims((c) -> {
                })).serialize()), invalid("alg none with a signature kept", HostileTokenTests::noneWithSignature),
                invalid("alg NONE spelled differently", () -> withHeader("{\"alg\":\"None\",\"typ\":\"JWT\"}")),
                invalid("HS256 signed with the public key", HostileTokenTests::hmacWithPublicKey),
                invalid("RS384 while only RS256 is allowed",
                        () -> issuer.sign(issuer.signingKey(), JWSAlgorithm.RS384, (h) -> {
                        }, (c) -> {
                        })),
                invalid("RS512 while only RS256 is allowed",
                        () -> issuer.sign(issuer.signingKey(), JWSAlgorithm.RS512, (h) -> {
                        }, (c) -> {
                        })),
                invalid("PS256 while only RS256 is allowed",
                        () -> issuer.sign(issuer.signingKey(), JWSAlgorithm.PS256, (h) -> {
                        }, (c) -> {
                        })),
                invalid("signed by another key under the issuer's kid", () -> issuer.sign(issuer.attackerKey(),
                        JWSAlgorithm.RS256, (h) -> h.keyID(issuer.signingKey().getKeyID()), (c) -> {
                        })),
                invalid("unknown kid", () -> issuer.sign(issuer.attackerKey(), JWSAlgorithm.RS256, (h) -> {
                }, (c) -> {
                })), invalid("no kid, signed by another key",
                        () -> issuer.sign(issuer.attackerKey(), JWSAlgorithm.RS256, (h) -> h.keyID(null), (c) -> {
                        })),
                invalid("jku pointing to the attacker's JWKS", () -> issuer.sign(issuer.attackerKey(),
                        JWSAlgorithm.RS256, (h) -> h.jwkURL(URI.create(issuer.attackerJwksUri())), (c) -> {
                        })),
                invalid("x5u pointing to the attacker", () -> issuer.sign(issuer.attackerKey(), JWSAlgorithm.RS256,
                        (h) -> h.x509CertURL(URI.create(issuer.attackerJwksUri())), (c) -> {
                        })),
                invalid("embedded jwk of the attacker", () -> issuer.sign(issuer.attackerKey(), JWSAlgorithm.RS256,
                        (h) -> h.jwk(issuer.attackerKey().toPublicJWK()), (c) -> {
                        })),
                invalid("embedded jwk under the issuer's kid",
                        () -> issuer.sign(issuer.attackerKey(), JWSAlgorithm.RS256,
                                (h) -> h.keyID(issuer.signingKey().getKeyID()).jwk(issuer.attackerKey().toPublicJWK()),
                                (c) -> {
                                })),
                invalid("valid signature but jku present",
                        () -> issuer.token((h) -> h.jwkURL(URI.create(issuer.attackerJwksUri())), (c) -> {
                        })),
                invalid("unknown crit header", () -> issuer.token(
                        (h) -> h.criticalParams(Set.of("urn:example:policy")).customParam("urn:example:policy", "x"),
                        (c) -> {
                        })),
                invalid("typ is not an access-token type",
                        () -> issuer.token((h) -> h.type(new JOSEObjectType("dpop+jwt")), (c) -> {
                        })),
                invalid("payload changed after signing", HostileTokenTests::tamperedPayload),
                invalid("signature stripped", () -> {
                    String token = issuer.token((c) -> {
                    });
                    return token.substring(0, token.lastIndexOf('.') + 1);
                }), invalid("signature of another token", () -> {
                    String a = issuer.token((c) -> c.subject("a"));
                    String b = issuer.token((c) -> c.subject("b"));
                    return a.substring(0, a.lastIndexOf('.')) + b.substring(b.lastIndexOf('.'));
                }),
                // malformed
                invalid("one segment", () -> "abc"), invalid("three junk segments", () -> "abc.def.ghi"),
                invalid("two segments", () -> {
                    String token = issuer.token((c) -> {
                    });
                    return token.substring(0, token.lastIndexOf('.'));
                }), invalid("four segments", () -> issuer.token((c) -> {
                }) + ".AAAA"),
                invalid("five segments (JWE shape)",
                        () -> "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.AAAA.AAAA.AAAA.AAAA"),
                invalid("header is not JSON", () -> b64("not json") + "." + b64("{}") + ".AAAA"),
                invalid("payload is not JSON", HostileTokenTests::nonJsonPayload),
                invalid("payload is a JSON array", () -> b64("{\"alg\":\"RS256\"}") + "." + b64("[1,2]") + ".AAAA"),
                invalid("deeply nested header",
                        () -> b64("{\"alg\":\"RS256\",\"x\":" + "[".repeat(2000) + "]".repeat(2000) + "}") + "."
                                + b64("{}") + ".AAAA"),
                invalid("invalid base64url", () -> "e@J.h%G.c*i"), invalid("long token, still under the header limit",
                        () -> b64("{\"alg\":\"RS256\"}") + "." + "A".repeat(7000) + ".AAAA"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidTokens")
    void tokenWhenHostileThen401CleanChallengeAndBody(String name, Supplier<String> token) {
        HttpResponse<String> response = api().get("/api/external", token.get());
        assertThat(response.statusCode()).as(name).isIn(400, 401);
        String challenge = response.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(challenge).as(name)
            .startsWith("Bearer error=\"" + (response.statusCode() == 401 ? "invalid_token" : "invalid_request")
                    + "\", error_description=\"");
        assertCleanErrorBody(response, response.statusCode() == 401 ? "invalid_token" : "invalid_request");
    }

    static Stream<Arguments> malformedConfirmations() {
        return Stream.of(Arguments.of("a string", "x"), Arguments.of("a number", 5),
                Arguments.of("an array", List.of("a")), Arguments.of("with jkt a number", Map.of("jkt", 5)),
                Arguments.of("with jkt an object", Map.of("jkt", Map.of("a", 1))),
                Arguments.of("with jkt an array", Map.of("jkt", List.of("a"))),
                Arguments.of("with jkt empty", Map.of("jkt", "")),
                Arguments.of("with jkt null", java.util.Collections.singletonMap("jkt", null)));
    }

    /**
     * A signed token whose {@code cnf} has a shape no issuer should produce is the
     * token's fault: 401 with a fixed description on every path, never a 500 (Spring's
     * bearer filter would fail converting it).
     */
    @ParameterizedTest(name = "cnf {0}")
    @MethodSource("malformedConfirmations")
    void tokenWhenCnfIsNotAnObjectWithAStringJktThen401InvalidToken(String name, Object cnf) {
        String token = issuer.token((c) -> c.claim("cnf", cnf).claim("scope", "read:messages"));
        for (String path : List.of("/api/public", "/api/external", "/api/private-scoped")) {
            HttpResponse<String> response = api().get(path, token);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.headers().allValues("WWW-Authenticate")).as(path)
                .containsExactly("Bearer error=\"invalid_token\", error_description=\"" + MALFORMED_CNF + "\"");
            assertCleanErrorBody(response, "invalid_token");
        }
    }

    /**
     * A token bound to what this API cannot check (RFC 8705's client certificate) must
     * not pass as a bearer token: whoever stole it without the certificate could use it
     * here.
     */
    @Test
    void tokenWhenBoundToAClientCertificateThen401InvalidToken() {
        String token = issuer
            .token((c) -> c.claim("cnf", Map.of("x5t#S256", "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2")));
        HttpResponse<String> response = api().get("/api/external", token);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly(
                "Bearer error=\"invalid_token\", error_description=\"The token is bound to a key this API cannot check "
                        + "(only cnf.jkt, DPoP)\"");
        assertCleanErrorBody(response, "invalid_token");
    }

    /** An empty {@code cnf} binds to no key: the token is a bearer token. */
    @Test
    void tokenWhenCnfIsAnObjectWithoutJktThenAcceptedAsBearer() {
        assertThat(api().get("/api/external", issuer.token((c) -> c.claim("cnf", Map.of()))).statusCode())
            .isEqualTo(200);
    }

    @Test
    void embeddedKeyReferencesAreNeverFetched() {
        ApiClient api = api();
        String jku = issuer.sign(issuer.attackerKey(), JWSAlgorithm.RS256,
                (h) -> h.jwkURL(URI.create(issuer.attackerJwksUri())), (c) -> {
                });
        String x5u = issuer.sign(issuer.attackerKey(), JWSAlgorithm.RS256,
                (h) -> h.x509CertURL(URI.create(issuer.attackerJwksUri())), (c) -> {
                });
        assertThat(api.get("/api/external", jku).statusCode()).isEqualTo(401);
        assertThat(api.get("/api/external", x5u).statusCode()).isEqualTo(401);
        assertThat(issuer.attackerHits()).isZero();
    }

    @Test
    void malformedAuthorizationHeaderThen400Or401NeverServerError() {
        ApiClient api = api();
        for (String header : List.of("Bearer", "Bearer ", "Bearer  a.b.c", "Bearer a b c", "Bearer ä.b.c",
                "bearer " + issuer.token((c) -> c.issuer("x")), "Bearer " + "=".repeat(50), "Token abc")) {
            HttpResponse<String> response = api.send("GET", "/api/external", "Authorization", header);
            assertThat(response.statusCode()).as(header).isIn(400, 401);
            assertThat(response.body()).contains("\"error\":");
        }
    }

    @Test
    void validTokenStillAccepted() {
        assertThat(api().get("/api/external", issuer.token((c) -> {
        })).statusCode()).isEqualTo(200);
    }

    private static Arguments invalid(String name, Supplier<String> token) {
        return Arguments.of(name, token);
    }

    private static String strip(String value) {
        return value.substring(0, value.length() - 1);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String withHeader(String headerJson) {
        String token = issuer.token((c) -> {
        });
        String[] parts = token.split("\\.");
        return b64(headerJson) + "." + parts[1] + "." + parts[2];
    }

    private static String noneWithSignature() {
        String token = issuer.token((c) -> {
        });
        String[] parts = token.split("\\.");
        return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + "." + parts[2];
    }

    private static String hmacWithPublicKey() {
        RSAKey publicKey = issuer.signingKey().toPublicJWK();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(publicKey.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(), issuer.validClaims((c) -> {
                }));
            jwt.sign(new MACSigner(publicKey.toJSONString().getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String tamperedPayload() {
        String token = issuer.token((c) -> {
        });
        String[] parts = token.split("\\.");
        try {
            JWTClaimsSet claims = JWTClaimsSet.parse(new Base64URL(parts[1]).decodeToString());
            JWTClaimsSet changed = new JWTClaimsSet.Builder(claims).claim("scope", "read:messages").build();
            return parts[0] + "." + Base64URL.encode(changed.toString()) + "." + parts[2];
        }
        catch (ParseException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String nonJsonPayload() {
        String token = issuer.token((c) -> {
        });
        String[] parts = token.split("\\.");
        return parts[0] + "." + b64("hello, not json") + "." + parts[2];
    }

}
