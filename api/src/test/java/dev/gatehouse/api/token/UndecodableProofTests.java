package dev.gatehouse.api.token;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;

import dev.gatehouse.api.support.DPoPClientKey;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each way Spring's DPoP proof decoder can refuse a proof before our checks gets the
 * description naming that problem, found from the proof's structure and never from an
 * exception's wording.
 */
class UndecodableProofTests {

    private static final String URL = "https://api.example/api/external";

    private final DPoPClientKey key = DPoPClientKey.generate();

    @Test
    void eachProblemIsNamed() throws Exception {
        long now = Instant.now().getEpochSecond();
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("garbage", UndecodableProof.MALFORMED);
        cases.put("a.b.c", UndecodableProof.MALFORMED);
        cases.put(proof((h) -> h.type(JOSEObjectType.JWT), (c) -> {
        }), UndecodableProof.BAD_TYP);
        cases.put(proof((h) -> h.type(null), (c) -> {
        }), UndecodableProof.BAD_TYP);
        cases.put(proof((h) -> {
        }, (c) -> c.issueTime(null).claim("iat", String.valueOf(now))),
                "The DPoP proof's iat must be a number (seconds since the epoch)");
        cases.put(proof((h) -> {
        }, (c) -> c.jwtID(null).claim("jti", 5)), "The DPoP proof's jti must be a string");
        cases.put(proof((h) -> {
        }, (c) -> c.claim("exp", "later")), "The DPoP proof's exp must be a number (seconds since the epoch)");
        cases.put(withPayload("{\"aud\":[\"a\",1]}"), "The DPoP proof's aud must be a string or an array of strings");
        cases.put(this.key.hmac().proof("GET", URL, "token"), UndecodableProof.BAD_ALG);
        cases.put(proof((h) -> h.jwk(null), (c) -> {
        }), UndecodableProof.BAD_JWK);
        cases.put(withPrivateJwk(), UndecodableProof.BAD_JWK);
        cases.put(signatureOfAnotherProof(), UndecodableProof.BAD_SIGNATURE);
        // Nothing wrong in its structure: refused for a reason this cannot see.
        cases.put(proof((h) -> {
        }, (c) -> {
        }), UndecodableProof.MALFORMED);
        cases.forEach(
                (proof, description) -> assertThat(UndecodableProof.describe(proof)).as(proof).isEqualTo(description));
    }

    private String proof(Consumer<JWSHeader.Builder> header, Consumer<JWTClaimsSet.Builder> claims) {
        return this.key.proof("GET", URL, "token", header, claims);
    }

    private String signatureOfAnotherProof() {
        String a = proof((h) -> {
        }, (c) -> c.claim("htm", "GET"));
        String b = proof((h) -> {
        }, (c) -> c.claim("htm", "POST"));
        return b.substring(0, b.lastIndexOf('.')) + a.substring(a.lastIndexOf('.'));
    }

    /** Nimbus will not build a header with a private key, so it is written by hand. */
    private String withPrivateJwk() throws Exception {
        ECKey secret = new ECKeyGenerator(Curve.P_256).generate();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "ES256");
        header.put("typ", "dpop+jwt");
        header.put("jwk", secret.toJSONObject());
        String valid = proof((h) -> {
        }, (c) -> {
        });
        return b64(JSONObjectUtils.toJSONString(header)) + valid.substring(valid.indexOf('.'));
    }

    /** Nimbus drops an {@code aud} it cannot read, so the payload is written by hand. */
    private String withPayload(String json) {
        String[] parts = proof((h) -> {
        }, (c) -> {
        }).split("\\.");
        return parts[0] + "." + b64(json) + "." + parts[2];
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

}
