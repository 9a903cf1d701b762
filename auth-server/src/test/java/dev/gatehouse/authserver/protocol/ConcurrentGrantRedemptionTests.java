package dev.gatehouse.authserver.protocol;

import org.junit.jupiter.api.Test;

/**
 * One code or one refresh token redeemed several times at once, with real parallel
 * requests against the real server on H2 (PostgreSQL: {@link PostgresProtocolTests}).
 */
class ConcurrentGrantRedemptionTests extends ProtocolTestSupport {

    @Test
    void codeExchangedFiveTimesAtOnceHasOneWinnerAndTheReplayRevokesItsTokens() {
        new GrantRaces(this.browser)
            .codeExchangedFiveTimesAtOnceHasOneWinnerAndTheReplayRevokesItsTokens("demo@example.com", "Demo-Passw0rd");
    }

    @Test
    void refreshTokenUsedTenTimesAtOnceRotatesOnceAndReuseRevokesTheFamily() {
        new GrantRaces(this.browser)
            .refreshTokenUsedTenTimesAtOnceRotatesOnceAndReuseRevokesTheFamily("demo@example.com", "Demo-Passw0rd");
    }

}
