package dev.gatehouse.api.token;

import java.security.Key;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;

import dev.gatehouse.api.token.IssuerKeys.CachedKey;
import dev.gatehouse.api.token.TokenRejection.KeyRejection;

/**
 * Chooses the key a token must verify against, from the issuer's JWKS only, after
 * checking the header:
 * <ul>
 * <li>the algorithm is on our allow-list, whatever the token or the JWKS says (so never
 * {@code none} or HMAC);</li>
 * <li>the token does not carry or point to a key of its own ({@code jku}, {@code jwk},
 * {@code x5u}, {@code x5c}): those are the attacker's choice, so we refuse the token
 * rather than silently ignore them;</li>
 * <li>no {@code crit} header: we implement no JWS extension, so by RFC 7515 §4.1.11 any
 * listed one must fail.</li>
 * </ul>
 * A JWKS key is a candidate when its {@code kid} matches, its type and curve fit the
 * algorithm, and it names either no algorithm or this one.
 */
public final class StrictKeySelector implements JWSKeySelector<SecurityContext> {

    private final Set<JWSAlgorithm> algorithms;

    private final IssuerKeys keys;

    public StrictKeySelector(Set<JWSAlgorithm> algorithms, IssuerKeys keys) {
        this.algorithms = Set.copyOf(algorithms);
        this.keys = keys;
    }

    @Override
    public List<? extends Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
        JWSAlgorithm algorithm = header.getAlgorithm();
        if (!this.algorithms.contains(algorithm)) {
            throw new KeyRejection("The token is signed with an algorithm this API does not accept");
        }
        if (header.getJWKURL() != null || header.getJWK() != null || header.getX509CertURL() != null
                || header.getX509CertChain() != null) {
            throw new KeyRejection("The token header must not carry or point to a key (jku, jwk, x5u, x5c)");
        }
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            throw new KeyRejection("The token has a critical header parameter this API does not understand");
        }
        List<Key> found = this.keys.select(header.getKeyID(), (key) -> fits(key, algorithm));
        if (found.isEmpty()) {
            throw new KeyRejection("The token is signed with an unknown key");
        }
        return found;
    }

    private static boolean fits(CachedKey key, JWSAlgorithm algorithm) {
        if (key.algorithm() != null && !key.algorithm().equals(algorithm)) {
            return false;
        }
        if (JWSAlgorithm.Family.RSA.contains(algorithm)) {
            return key.key() instanceof RSAPublicKey;
        }
        if (JWSAlgorithm.Family.EC.contains(algorithm)) {
            return key.key() instanceof ECPublicKey && curveOf(algorithm).equals(key.curve());
        }
        return false;
    }

    private static Curve curveOf(JWSAlgorithm algorithm) {
        if (JWSAlgorithm.ES256.equals(algorithm)) {
            return Curve.P_256;
        }
        if (JWSAlgorithm.ES384.equals(algorithm)) {
            return Curve.P_384;
        }
        return Curve.P_521;
    }

}
