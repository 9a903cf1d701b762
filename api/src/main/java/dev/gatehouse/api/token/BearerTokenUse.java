package dev.gatehouse.api.token;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * What a token presented as {@code Authorization: Bearer} may do: a DPoP-bound token
 * ({@code cnf.jkt}) is refused, since its whole point is that it is useless without the
 * key (RFC 9449 section 7.2; Spring Security refuses it too, later and without saying
 * why), and when the API requires DPoP every bearer token is refused. Otherwise the
 * token's scopes and permissions become authorities as usual.
 */
public final class BearerTokenUse implements Converter<Jwt, AbstractAuthenticationToken> {

    private final AccessTokenAuthenticationConverter authorities = new AccessTokenAuthenticationConverter();

    private final boolean dpopRequired;

    public BearerTokenUse(boolean dpopRequired) {
        this.dpopRequired = dpopRequired;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        if (DPoPProofChecks.boundKey(jwt) != null) {
            throw new DPoPTokenRejection("The access token is DPoP-bound: send it as Authorization: DPoP "
                    + "with a DPoP proof made with its key");
        }
        if (this.dpopRequired) {
            throw new DPoPTokenRejection("This API accepts only DPoP-bound access tokens, sent as "
                    + "Authorization: DPoP with a DPoP proof");
        }
        return this.authorities.convert(jwt);
    }

}
