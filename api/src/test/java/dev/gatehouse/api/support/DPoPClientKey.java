package dev.gatehouse.api.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * A browser's DPoP key as the Auth0 SPA SDK makes it (EC P-256, ES256), the proofs it
 * signs for API calls ({@code jti htm htu iat ath}), and the {@code cnf} claim an
 * authorization server puts into a token bound to it. Each proof can be bent for the
 * hostile tests.
 */
public final class DPoPClientKey {

    private final ECKey key;

    private final JWSAlgorithm alg;

    private DPoPClientKey(ECKey key, JWSAlgorithm alg) {
        this.key = key;
        this.alg = alg;
    }

    public static DPoPClientKey generate() {
        return generate(Curve.P_256, JWSAlgorithm.ES256);
    }

    public static DPoPClientKey generate(Curve curve, JWSAlgorithm alg) {
        try {
            return new DPoPClientKey(new ECKeyGenerator(curve).generate(), alg);
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Proofs with this key's public part, signed with HS256 instead. */
    public DPoPClientKey hmac() {
        return new DPoPClientKey(this.key, JWSAlgorithm.HS256);
    }

    /** {@code cnf} of a token bound to this key. */
    public Map<String, Object> confirmation() {
        try {
            return Map.of("jkt", this.key.computeThumbprint().toString());
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A proof for calling {@code url} with {@code method} and {@code accessToken}. */
    public String proof(String method, String url, String accessToken) {
        return proof(method, url, accessToken, (h) -> {
        }, (c) -> {
        });
    }

    public String proof(String method, String url, String accessToken, Consumer<JWSHeader.Builder> header,
            Consumer<JWTClaimsSet.Builder> claims) {
        JWSHeader.Builder h = new JWSHeader.Builder(this.alg).type(new JOSEObjectType("dpop+jwt"))
            .jwk(this.key.toPublicJWK());
        header.accept(h);
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
            .claim("htm", method)
            .claim("htu", url)
            .claim("ath", ath(accessToken))
            .issueTime(Date.from(Instant.now()));
        claims.accept(c);
        JWSHeader built = h.build();
        SignedJWT jwt = new SignedJWT(built, c.build());
        try {
            jwt.sign(JWSAlgorithm.HS256.equals(this.alg) ? new MACSigner(new byte[32]) : new ECDSASigner(this.key));
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
        return jwt.serialize();
    }

    /** base64url SHA-256 of the access token. */
    public static String ath(String accessToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(accessToken.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
