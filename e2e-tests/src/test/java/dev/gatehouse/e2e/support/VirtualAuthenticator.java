package dev.gatehouse.e2e.support;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;

/**
 * Chromium's virtual authenticator (the DevTools {@code WebAuthn} domain, through a CDP
 * session): a platform authenticator with user verification that keeps discoverable
 * credentials, answering every ceremony of its page at once, as a fingerprint reader
 * would.
 */
public final class VirtualAuthenticator {

    private final CDPSession cdp;

    private final String id;

    private VirtualAuthenticator(CDPSession cdp, String id) {
        this.cdp = cdp;
        this.id = id;
    }

    /** Adds an authenticator to {@code page}'s tab. */
    public static VirtualAuthenticator attach(Page page) {
        CDPSession cdp = page.context().newCDPSession(page);
        JsonObject enable = new JsonObject();
        enable.addProperty("enableUI", false);
        cdp.send("WebAuthn.enable", enable);
        JsonObject options = new JsonObject();
        options.addProperty("protocol", "ctap2");
        options.addProperty("ctap2Version", "ctap2_1");
        options.addProperty("transport", "internal");
        options.addProperty("hasResidentKey", true);
        options.addProperty("hasUserVerification", true);
        options.addProperty("isUserVerified", true);
        options.addProperty("automaticPresenceSimulation", true);
        JsonObject parameters = new JsonObject();
        parameters.add("options", options);
        String id = cdp.send("WebAuthn.addVirtualAuthenticator", parameters).get("authenticatorId").getAsString();
        return new VirtualAuthenticator(cdp, id);
    }

    /** Forgets every credential it holds. */
    public void clearCredentials() {
        JsonObject parameters = new JsonObject();
        parameters.addProperty("authenticatorId", this.id);
        this.cdp.send("WebAuthn.clearCredentials", parameters);
    }

    /** The credentials it holds. */
    public JsonArray credentials() {
        JsonObject parameters = new JsonObject();
        parameters.addProperty("authenticatorId", this.id);
        return this.cdp.send("WebAuthn.getCredentials", parameters).getAsJsonArray("credentials");
    }

}
