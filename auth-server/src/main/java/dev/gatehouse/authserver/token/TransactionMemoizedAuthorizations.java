package dev.gatehouse.authserver.token;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.gatehouse.authserver.store.TransactionMemo;

/**
 * SAS's JDBC authorization store that reads each row once per transaction. A refresh (in
 * {@link LockedGrantRedemption}'s transaction, with the row locked) read the same row
 * four times: our rotation check, SAS's refresh provider, and the {@code findById} that
 * SAS's {@code save} makes before it updates. Inside a transaction the first read is
 * remembered (by id and by the token it was found by) until the transaction ends or the
 * row is written; outside one every call goes to the database. The row is locked for the
 * whole transaction, so what is remembered cannot change underneath.
 */
public class TransactionMemoizedAuthorizations extends JdbcOAuth2AuthorizationService {

    private static final Object KEY = TransactionMemoizedAuthorizations.class;

    public TransactionMemoizedAuthorizations(JdbcOperations jdbc, RegisteredClientRepository clients) {
        super(jdbc, clients);
    }

    @Override
    public @Nullable OAuth2Authorization findById(String id) {
        Map<String, OAuth2Authorization> memo = memo();
        if (memo == null) {
            return super.findById(id);
        }
        OAuth2Authorization known = memo.get("id:" + id);
        if (known != null) {
            return known;
        }
        OAuth2Authorization found = super.findById(id);
        remember(memo, found, null);
        return found;
    }

    @Override
    public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
        Map<String, OAuth2Authorization> memo = memo();
        if (memo == null || tokenType == null) {
            return super.findByToken(token, tokenType);
        }
        String key = tokenType.getValue() + ":" + token;
        OAuth2Authorization known = memo.get(key);
        if (known != null) {
            return known;
        }
        OAuth2Authorization found = super.findByToken(token, tokenType);
        remember(memo, found, key);
        return found;
    }

    /**
     * Its own look-up (insert or update?) is answered from memory; then the row has
     * changed.
     */
    @Override
    public void save(OAuth2Authorization authorization) {
        super.save(authorization);
        forget();
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        super.remove(authorization);
        forget();
    }

    private static void remember(Map<String, OAuth2Authorization> memo, @Nullable OAuth2Authorization found,
            @Nullable String tokenKey) {
        if (found == null) {
            return;
        }
        memo.put("id:" + found.getId(), found);
        if (tokenKey != null) {
            memo.put(tokenKey, found);
        }
    }

    private static @Nullable Map<String, OAuth2Authorization> memo() {
        return TransactionMemo.of(KEY);
    }

    private static void forget() {
        TransactionMemo.forget(KEY);
    }

}
