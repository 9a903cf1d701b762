package dev.gatehouse.authserver.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * A client's DPoP key pair and the proofs it signs (RFC 9449 section 4), as the Auth0 SDK
 * makes them: ES256 by default, {@code typ dpop+jwt}, the public key in {@code jwk},
 * {@code jti htm htu iat} and, for resource requests, {@code ath}. Each proof can be bent
 * for the hostile tests.
 */
final class DPoPKey {

    private final JWK key;

    private final JWSAlgorithm alg;

    private DPoPKey(JWK key, JWSAlgorithm alg) {
        this.key = key;
        this.alg = alg;
    }

    static DPoPKey ec() {
        try {
            return new DPoPKey(new ECKeyGenerator(Curve.P_256).generate(), JWSAlgorithm.ES256);
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static DPoPKey ec384() {
        try {
            return new DPoPKey(new ECKeyGenerator(Curve.P_384).generate(), JWSAlgorithm.ES384);
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static DPoPKey rsa() {
        try {
            return new DPoPKey(new RSAKeyGenerator(2048).generate(), JWSAlgorithm.RS256);
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Proofs of this key's public part signed with a shared secret ({@code HS256}), as an
     * attacker without the private key might try.
     */
    DPoPKey hmac() {
        return new DPoPKey(this.key, JWSAlgorithm.HS256);
    }

    /** The RFC 7638 thumbprint, as {@code cnf.jkt} carries it. */
    String thumbprint() {
        try {
            return this.key.computeThumbprint().toString();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    String proof(String method, String url) {
        return proof(method, url, (header) -> {
        }, (claims) -> {
        });
    }

    String proof(String method, String url, Consumer<JWSHeader.Builder> header, Consumer<JWTClaimsSet.Builder> claims) {
        JWSHeader.Builder h = new JWSHeader.Builder(this.alg).type(new JOSEObjectType("dpop+jwt"))
            .jwk(this.key.toPublicJWK());
        header.accept(h);
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
            .claim("htm", method)
            .claim("htu", url)
            .issueTime(Date.from(Instant.now()));
        claims.accept(c);
        JWSHeader built = h.build();
        SignedJWT jwt = new SignedJWT(built, c.build());
        try {
            if (JWSAlgorithm.Family.HMAC_SHA.contains(built.getAlgorithm())) {
                jwt.sign(new MACSigner(new byte[32]));
            }
            else if (this.key instanceof ECKey ec) {
                jwt.sign(new ECDSASigner(ec));
            }
            else {
                jwt.sign(new RSASSASigner((RSAKey) this.key));
            }
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
        return jwt.serialize();
    }

    /** The private key itself, for the proof that (wrongly) carries it in {@code jwk}. */
    JWK privateJwk() {
        return this.key;
    }

    /**
     * A proof whose {@code jwk} is the whole key, private part included (Nimbus refuses
     * to build such a header, so it is written by hand).
     */
    String proofWithPrivateJwk(String method, String url) {
        JWSHeader header = new JWSHeader.Builder(this.alg).build();
        String headerJson = "{\"alg\":\"" + this.alg.getName() + "\",\"typ\":\"dpop+jwt\",\"jwk\":"
                + this.key.toJSONString() + "}";
        JWTClaimsSet claims = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
            .claim("htm", method)
            .claim("htu", url)
            .issueTime(Date.from(Instant.now()))
            .build();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            String signature = new ECDSASigner((ECKey) this.key).sign(header, input.getBytes(StandardCharsets.US_ASCII))
                .toString();
            return input + "." + signature;
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** {@code ath}: base64url SHA-256 of the access token. */
    static String ath(String accessToken) {
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
