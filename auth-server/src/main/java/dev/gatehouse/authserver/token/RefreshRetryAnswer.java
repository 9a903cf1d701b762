package dev.gatehouse.authserver.token;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answer a refresh got, kept for the client's reuse interval so that presenting the
 * same refresh token again (the answer was lost on the way back, or two tabs refreshed at
 * once) returns that answer instead of counting as reuse: no family dies from a lost
 * answer, and every token answered with 200 stays usable.
 *
 * <p>
 * The answer holds tokens, so it is stored encrypted (a JWE, {@code dir} +
 * {@code A256GCM}, through Nimbus) under a key derived from the refresh token that was
 * presented, which itself is only stored hashed: the database alone cannot open it; only
 * the holder of that refresh token can.
 */
final class RefreshRetryAnswer {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final byte[] PURPOSE = "gatehouse refresh retry answer".getBytes(StandardCharsets.UTF_8);

    private RefreshRetryAnswer() {
    }

    /** The answer encrypted under a key only {@code presented} gives. */
    static String seal(String presented, OAuth2AccessTokenAuthenticationToken answer) {
        Map<String, Object> tokens = new LinkedHashMap<>();
        OAuth2AccessToken access = answer.getAccessToken();
        tokens.put("at", access.getTokenValue());
        tokens.put("at_iat", epoch(access.getIssuedAt()));
        tokens.put("at_exp", epoch(access.getExpiresAt()));
        tokens.put("scope", List.copyOf(access.getScopes()));
        OAuth2RefreshToken refresh = answer.getRefreshToken();
        if (refresh != null) {
            tokens.put("rt", refresh.getTokenValue());
            tokens.put("rt_iat", epoch(refresh.getIssuedAt()));
            tokens.put("rt_exp", epoch(refresh.getExpiresAt()));
        }
        tokens.put("id", answer.getAdditionalParameters().get(OidcParameterNames.ID_TOKEN));
        try {
            JWEObject jwe = new JWEObject(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM),
                    new Payload(JSON.writeValueAsString(tokens)));
            jwe.encrypt(new DirectEncrypter(key(presented)));
            return jwe.serialize();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("Cannot encrypt a refresh answer", ex);
        }
    }

    /**
     * The answer sealed under {@code presented}, for {@code client}; {@code null} when it
     * cannot be opened with that token.
     */
    static @Nullable OAuth2AccessTokenAuthenticationToken open(String presented, String sealed, RegisteredClient client,
            OAuth2ClientAuthenticationToken clientPrincipal) {
        JsonNode tokens;
        try {
            JWEObject jwe = JWEObject.parse(sealed);
            jwe.decrypt(new DirectDecrypter(key(presented)));
            tokens = JSON.readTree(jwe.getPayload().toString());
        }
        catch (ParseException | JOSEException ex) {
            return null;
        }
        Set<String> scopes = new LinkedHashSet<>();
        tokens.get("scope").forEach((s) -> scopes.add(s.asString()));
        OAuth2AccessToken access = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER,
                tokens.get("at").asString(), instant(tokens.get("at_iat")), instant(tokens.get("at_exp")), scopes);
        OAuth2RefreshToken refresh = tokens.has("rt") ? new OAuth2RefreshToken(tokens.get("rt").asString(),
                instant(tokens.get("rt_iat")), instant(tokens.get("rt_exp"))) : null;
        Map<String, Object> additional = new LinkedHashMap<>();
        if (tokens.hasNonNull("id")) {
            additional.put(OidcParameterNames.ID_TOKEN, tokens.get("id").asString());
        }
        return new OAuth2AccessTokenAuthenticationToken(client, clientPrincipal, access, refresh, additional);
    }

    /** HMAC-SHA256 of a fixed purpose under the refresh token: a 256-bit AES key. */
    private static SecretKey key(String presented) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(presented.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return new SecretKeySpec(mac.doFinal(PURPOSE), "AES");
        }
        catch (NoSuchAlgorithmException | InvalidKeyException ex) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
        }
    }

    private static @Nullable Long epoch(@Nullable Instant instant) {
        return (instant != null) ? instant.getEpochSecond() : null;
    }

    private static @Nullable Instant instant(@Nullable JsonNode epoch) {
        return (epoch == null || epoch.isNull()) ? null : Instant.ofEpochSecond(epoch.asLong());
    }

}
