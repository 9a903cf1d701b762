package dev.gatehouse.authserver.dpop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * DPoP at the token endpoint ({@code gatehouse.dpop.*}, documented in the README's
 * settings table).
 *
 * @param signingAlgorithms the JWS algorithms a DPoP proof may be signed with, advertised
 * as {@code dpop_signing_alg_values_supported}; RSA and EC algorithms only (the
 * asymmetric ones Spring Security's proof verifier knows), never {@code none} or HMAC
 * @param nonce require a server-provided nonce in every proof (RFC 9449 section 8): a
 * proof without a current one is answered {@code use_dpop_nonce} with a fresh nonce in
 * the {@code DPoP-Nonce} header, as the Auth0 SDKs expect
 * @param nonceLifetime how long a nonce is accepted; each token endpoint answer carries
 * the current one
 */
@ConfigurationProperties("gatehouse.dpop")
public record DPoPProperties(@DefaultValue( {
        "ES256", "RS256", "PS256" }) List<String> signingAlgorithms, @DefaultValue("false") boolean nonce,
        @DefaultValue("PT5M") Duration nonceLifetime){

    /** What Spring Security's DPoP proof verifier can check: the RSA and EC families. */
    static final Set<String> VERIFIABLE = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384",
            "ES512");

    public DPoPProperties {
        List<String> names = new ArrayList<>();
        for (String name : signingAlgorithms) {
            String upper = name.trim().toUpperCase(Locale.ROOT);
            if (!VERIFIABLE.contains(upper)) {
                throw new IllegalArgumentException("gatehouse.dpop.signing-algorithms: " + name
                        + " is not allowed; choose from " + VERIFIABLE.stream().sorted().toList());
            }
            if (!names.contains(upper)) {
                names.add(upper);
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("gatehouse.dpop.signing-algorithms must name at least one algorithm");
        }
        signingAlgorithms = List.copyOf(names);
        if (nonceLifetime.isNegative() || nonceLifetime.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new IllegalArgumentException("gatehouse.dpop.nonce-lifetime must be at least 10 seconds");
        }
    }

}
