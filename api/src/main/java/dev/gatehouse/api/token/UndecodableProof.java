package dev.gatehouse.api.token;

import java.security.Key;
import java.text.ParseException;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

/**
 * Why Spring's DPoP proof decoder refused a proof before {@link DPoPProofChecks} saw its
 * claims, as one of our fixed descriptions. Spring and Nimbus say why only in exception
 * messages, which are neither stable nor written for clients (a substring search over
 * them once took the word "type" in "Unable to convert claim 'iat' of type ..." for a
 * {@code typ} problem), so a refused proof is examined again, by its structure, in the
 * decoder's own order: it parses as a JWS, {@code typ} is {@code dpop+jwt}, the
 * registered claims have their JSON types, {@code alg} is RSA or EC, {@code jwk} is a
 * public key of that family, and the signature verifies. Runs only for refused proofs, so
 * the cost of parsing again stays off the path of valid requests.
 */
final class UndecodableProof {

    static final String MALFORMED = "The DPoP proof is malformed";

    static final String BAD_TYP = "The DPoP proof's typ must be dpop+jwt";

    static final String BAD_ALG = "The DPoP proof must be signed with an asymmetric algorithm (RSA or EC)";

    static final String BAD_JWK = "The DPoP proof's jwk is missing, invalid or holds a private key";

    static final String BAD_SIGNATURE = "The DPoP proof's signature is invalid";

    private static final JOSEObjectType DPOP_JWT = new JOSEObjectType("dpop+jwt");

    private static final List<String> NUMERIC_CLAIMS = List.of("iat", "exp", "nbf");

    private static final List<String> STRING_CLAIMS = List.of("jti", "iss", "sub");

    private UndecodableProof() {
    }

    static String describe(String proof) {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(proof);
        }
        catch (ParseException ex) {
            return headerHasBadJwk(proof) ? BAD_JWK : MALFORMED;
        }
        JWSHeader header = jwt.getHeader();
        if (!DPOP_JWT.equals(header.getType())) {
            return BAD_TYP;
        }
        Map<String, Object> claims = jwt.getPayload().toJSONObject();
        if (claims == null) {
            return MALFORMED;
        }
        String mistyped = mistypedClaim(claims);
        if (mistyped != null) {
            return mistyped;
        }
        JWSAlgorithm alg = header.getAlgorithm();
        boolean rsa = JWSAlgorithm.Family.RSA.contains(alg);
        if (!rsa && !JWSAlgorithm.Family.EC.contains(alg)) {
            return BAD_ALG;
        }
        Key key = publicKey(header.getJWK(), rsa);
        if (key == null) {
            return BAD_JWK;
        }
        try {
            return jwt.verify(new DefaultJWSVerifierFactory().createJWSVerifier(header, key)) ? MALFORMED
                    : BAD_SIGNATURE;
        }
        catch (JOSEException ex) {
            return BAD_SIGNATURE;
        }
    }

    /**
     * The description for the first registered claim whose JSON type Nimbus refuses (RFC
     * 7519 section 4.1), or {@code null}.
     */
    private static @Nullable String mistypedClaim(Map<String, Object> claims) {
        for (String name : NUMERIC_CLAIMS) {
            Object value = claims.get(name);
            if (value != null && !(value instanceof Number)) {
                return "The DPoP proof's " + name + " must be a number (seconds since the epoch)";
            }
        }
        for (String name : STRING_CLAIMS) {
            Object value = claims.get(name);
            if (value != null && !(value instanceof String)) {
                return "The DPoP proof's " + name + " must be a string";
            }
        }
        Object aud = claims.get("aud");
        if (aud != null && !(aud instanceof String)
                && !(aud instanceof List<?> many && many.stream().allMatch(String.class::isInstance))) {
            return "The DPoP proof's aud must be a string or an array of strings";
        }
        return null;
    }

    private static @Nullable Key publicKey(@Nullable JWK jwk, boolean rsa) {
        try {
            if (jwk == null || jwk.isPrivate()) {
                return null;
            }
            if (rsa && jwk instanceof RSAKey rsaKey) {
                return rsaKey.toRSAPublicKey();
            }
            if (!rsa && jwk instanceof ECKey ecKey) {
                return ecKey.toECPublicKey();
            }
            return null;
        }
        catch (JOSEException ex) {
            return null;
        }
    }

    /**
     * Whether the proof failed to parse because of its {@code jwk}: Nimbus refuses a
     * private or broken key while parsing the header.
     */
    private static boolean headerHasBadJwk(String proof) {
        int dot = proof.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        try {
            Map<String, Object> header = JSONObjectUtils.parse(new Base64URL(proof.substring(0, dot)).decodeToString());
            Map<String, Object> jwk = JSONObjectUtils.getJSONObject(header, "jwk");
            if (jwk == null) {
                return false;
            }
            try {
                return JWK.parse(jwk).isPrivate();
            }
            catch (ParseException ex) {
                return true;
            }
        }
        catch (ParseException | RuntimeException ex) {
            return false;
        }
    }

}
