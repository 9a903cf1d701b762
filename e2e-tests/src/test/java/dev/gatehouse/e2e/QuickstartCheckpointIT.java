package dev.gatehouse.e2e;

import com.microsoft.playwright.Page;
import dev.gatehouse.e2e.support.BrowserTest;
import dev.gatehouse.e2e.support.GatehouseSystem;
import dev.gatehouse.e2e.support.QuickstartCheckpoint;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The quickstart's checkpoint, exactly as a user walks it: log in, consent, External API,
 * Ping API.
 *
 * <p>
 * Runs before the other tests that log in the demo user, because the authorization server
 * remembers a consent once given and this test proves the consent page is shown the first
 * time.
 */
@BrowserTest
@Order(2)
class QuickstartCheckpointIT {

    @Test
    void loginConsentThenPingApiShowsAccessTokenValidated(Page page) {
        QuickstartCheckpoint.walk(page, GatehouseSystem.AUTH_SERVER_URL, true);
    }

}
