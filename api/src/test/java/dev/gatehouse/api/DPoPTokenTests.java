package dev.gatehouse.api;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import org.junit.jupiter.api.Test;

import dev.gatehouse.api.support.ApiAgainstTestIssuer;
import dev.gatehouse.api.support.ApiClient;
import dev.gatehouse.api.support.DPoPClientKey;
import dev.gatehouse.api.support.TestIssuer;

import static dev.gatehouse.api.support.ErrorAssertions.assertCleanErrorBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DPoP-bound access tokens (RFC 9449) over real HTTP: {@code Authorization: DPoP} with a
 * valid proof is served; a bound token without its proof, as a bearer token, or with a
 * proof for another request, another key or a spent {@code jti} gets 401 with a
 * {@code DPoP} challenge naming the error and the accepted algorithms, never a 5xx;
 * bearer tokens keep working while DPoP is not required.
 */
class DPoPTokenTests extends ApiAgainstTestIssuer {

    static final TestIssuer issuer = TestIssuer.start();

    private final DPoPClientKey key = DPoPClientKey.generate();

    private String url(ApiClient api, String path) {
        return api.base() + path;
    }

    private String boundToken() {
        return issuer.token((c) -> c.claim("cnf", this.key.confirmation()).claim("scope", "openid read:messages"));
    }

    @Test
    void aBoundTokenWithItsProofIsServed() {
        ApiClient api = api();
        String token = boundToken();
        HttpResponse<String> response = api.send("GET", "/api/external", "Authorization", "DPoP " + token, "DPoP",
                this.key.proof("GET", url(api, "/api/external"), token));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("Your access token was successfully validated!");

        HttpResponse<String> scoped = api.send("GET", "/api/private-scoped", "Authorization", "DPoP " + token, "DPoP",
                this.key.proof("GET", url(api, "/api/private-scoped"), token));
        assertThat(scoped.statusCode()).as(scoped.body()).isEqualTo(200);
    }

    @Test
    void aBearerTokenStillWorksWhileDPoPIsNotRequired() {
        HttpResponse<String> response = api().get("/api/external", issuer.token((c) -> {
        }));
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void aBoundTokenSentAsBearerIsRefusedWithADPoPChallenge() {
        HttpResponse<String> response = api().get("/api/external", boundToken());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
            .startsWith("DPoP error=\"invalid_token\"")
            .contains("DPoP-bound")
            .endsWith("algs=\"ES256 RS256 PS256\"");
        assertCleanErrorBody(response, "invalid_token");
    }

    /** Each case is named "what is wrong => what the description says". */
    @Test
    void hostileProofsAreEachRefusedWithInvalidDPoPProof() {
        ApiClient api = api();
        String external = url(api, "/api/external");
        String token = boundToken();
        Map<String, String> proofs = new LinkedHashMap<>();
        proofs.put("for another URL => htu", this.key.proof("GET", url(api, "/api/private"), token));
        proofs.put("for another host => htu", this.key.proof("GET", "https://evil.example/api/external", token));
        proofs.put("for another method => htm", this.key.proof("POST", external, token));
        proofs.put("stale iat => iat", this.key.proof("GET", external, token, (h) -> {
        }, (c) -> c.issueTime(Date.from(Instant.now().minusSeconds(120)))));
        proofs.put("iat far in the future => iat", this.key.proof("GET", external, token, (h) -> {
        }, (c) -> c.issueTime(Date.from(Instant.now().plusSeconds(600)))));
        proofs.put("no ath => no ath", this.key.proof("GET", external, token, (h) -> {
        }, (c) -> c.claim("ath", null)));
        proofs.put("ath of another token => ath",
                this.key.proof("GET", external, issuer.token((c) -> c.claim("cnf", this.key.confirmation()))));
        proofs.put("no jti => jti", this.key.proof("GET", external, token, (h) -> {
        }, (c) -> c.jwtID(null)));
        proofs.put("another key => key the access token is bound to",
                DPoPClientKey.generate().proof("GET", external, token));
        proofs.put("typ JWT => typ", this.key.proof("GET", external, token, (h) -> h.type(JOSEObjectType.JWT), (c) -> {
        }));
        proofs.put("HS256 => asymmetric", this.key.hmac().proof("GET", external, token));
        proofs.put("ES384, not accepted => alg must be one of",
                DPoPClientKey.generate(Curve.P_384, JWSAlgorithm.ES384).proof("GET", external, token));
        proofs.put("not a JWT => malformed", "garbage");

        proofs.forEach((name, proof) -> {
            HttpResponse<String> response = api.send("GET", "/api/external", "Authorization", "DPoP " + token, "DPoP",
                    proof);
            assertThat(response.statusCode()).as(name + ": " + response.body()).isEqualTo(401);
            String challenge = response.headers().firstValue("WWW-Authenticate").orElseThrow();
            assertThat(challenge).as(name)
                .startsWith("DPoP error=\"invalid_dpop_proof\"")
                .contains(name.substring(name.indexOf(" => ") + 4))
                .endsWith("algs=\"ES256 RS256 PS256\"");
            assertCleanErrorBody(response, "invalid_dpop_proof");
        });
    }

    /**
     * Claims of the wrong JSON type stop the proof before its claims are checked; the
     * description must still name that claim (not, say, {@code typ}).
     */
    @Test
    void proofWhenIatIsAStringOrJtiANumberThenTheDescriptionNamesThatClaim() {
        ApiClient api = api();
        String external = url(api, "/api/external");
        String token = boundToken();
        long now = Instant.now().getEpochSecond();
        Map<String, String> proofs = new LinkedHashMap<>();
        proofs.put("iat as a string => iat must be a number", this.key.proof("GET", external, token, (h) -> {
        }, (c) -> c.issueTime(null).claim("iat", String.valueOf(now))));
        proofs.put("jti as a number => jti must be a string", this.key.proof("GET", external, token, (h) -> {
        }, (c) -> c.jwtID(null).claim("jti", 5)));
        proofs.put("htu as a number => htu", this.key.proof("GET", external, token, (h) -> {
        }, (c) -> c.claim("htu", 5)));
        proofs.forEach((name, proof) -> {
            HttpResponse<String> response = api.send("GET", "/api/external", "Authorization", "DPoP " + token, "DPoP",
                    proof);
            assertThat(response.statusCode()).as(name + ": " + response.body()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).as(name)
                .startsWith("DPoP error=\"invalid_dpop_proof\"")
                .contains(name.substring(name.indexOf(" => ") + 4))
                .doesNotContain("typ");
            assertCleanErrorBody(response, "invalid_dpop_proof");
        });
    }

    /**
     * The bound token itself is checked first: a {@code cnf} of the wrong shape is
     * {@code invalid_token} with the same description as on the bearer path.
     */
    @Test
    void dpopTokenWhenCnfIsNotAnObjectWithAStringJktThen401InvalidToken() {
        ApiClient api = api();
        String jkt = (String) this.key.confirmation().get("jkt");
        for (Object cnf : List.of(jkt, 5, List.of(jkt), Map.of("jkt", 5), Map.of("jkt", List.of(jkt)),
                Map.of("jkt", ""))) {
            String token = issuer.token((c) -> c.claim("cnf", cnf));
            HttpResponse<String> response = api.send("GET", "/api/external", "Authorization", "DPoP " + token, "DPoP",
                    this.key.proof("GET", url(api, "/api/external"), token));
            assertThat(response.statusCode()).as(cnf.toString()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).as(cnf.toString())
                .startsWith("DPoP error=\"invalid_token\", error_description=\"The token's confirmation claim (cnf) "
                        + "is malformed\"");
            assertCleanErrorBody(response, "invalid_token");
        }
    }

    @Test
    void aProofIsAcceptedOnce() {
        ApiClient api = api();
        String token = boundToken();
        String proof = this.key.proof("GET", url(api, "/api/external"), token);
        assertThat(api.send("GET", "/api/external", "Authorization", "DPoP " + token, "DPoP", proof).statusCode())
            .isEqualTo(200);
        HttpResponse<String> replay = api.send("GET", "/api/external", "Authorization", "DPoP " + token, "DPoP", proof);
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("jti replayed");
    }

    @Test
    void aStolenBoundTokenReplayedWithoutItsKeyGets401() {
        ApiClient api = api();
        String token = boundToken();
        HttpResponse<String> noProof = api.send("GET", "/api/external", "Authorization", "DPoP " + token);
        assertThat(noProof.statusCode()).isEqualTo(401);
        assertThat(noProof.headers().firstValue("WWW-Authenticate").orElseThrow())
            .startsWith("DPoP error=\"invalid_dpop_proof\"");
        assertCleanErrorBody(noProof, "invalid_dpop_proof");

        HttpResponse<String> twoProofs = api.send("GET", "/api/external", "Authorization", "DPoP " + token, "DPoP",
                this.key.proof("GET", url(api, "/api/external"), token), "DPoP",
                this.key.proof("GET", url(api, "/api/external"), token));
        assertThat(twoProofs.statusCode()).isEqualTo(401);
    }

    @Test
    void anUnboundTokenSentWithTheDPoPSchemeIsRefused() {
        ApiClient api = api();
        String token = issuer.token((c) -> {
        });
        HttpResponse<String> response = api.send("GET", "/api/external", "Authorization", "DPoP " + token, "DPoP",
                this.key.proof("GET", url(api, "/api/external"), token));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("not DPoP-bound");
    }

    @Test
    void anInvalidTokenSentWithTheDPoPSchemeGetsInvalidToken() {
        ApiClient api = api();
        String token = issuer.token((c) -> c.claim("cnf", this.key.confirmation()).audience("https://other.example"));
        HttpResponse<String> response = api.send("GET", "/api/external", "Authorization", "DPoP " + token, "DPoP",
                this.key.proof("GET", url(api, "/api/external"), token));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
            .startsWith("DPoP error=\"invalid_token\"");
        assertCleanErrorBody(response, "invalid_token");
    }

    @Test
    void aMissingPermissionIsChallengedInTheDPoPScheme() {
        ApiClient api = api();
        String token = issuer.token((c) -> c.claim("cnf", this.key.confirmation()).claim("scope", "openid"));
        HttpResponse<String> response = api.send("GET", "/api/private-scoped", "Authorization", "DPoP " + token, "DPoP",
                this.key.proof("GET", url(api, "/api/private-scoped"), token));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
            .startsWith("DPoP error=\"insufficient_scope\", scope=\"read:messages\"");
    }

    @Test
    void theProofMayNameTheURLTheSPAsProxyWasCalledAt() {
        ApiClient api = api();
        String token = boundToken();
        HttpResponse<String> response = api.send("GET", "/api/external", "Authorization", "DPoP " + token, "DPoP",
                this.key.proof("GET", "http://localhost:4200/api/external", token), "X-Forwarded-Host",
                "localhost:4200", "X-Forwarded-Proto", "http", "X-Forwarded-Port", "4200");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void browsersMaySendTheProofHeader() {
        HttpResponse<String> preflight = api().send("OPTIONS", "/api/external", "Origin", "http://localhost:4200",
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization,dpop");
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
            .contains("dpop");
    }

}
