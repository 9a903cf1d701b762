package dev.gatehouse.api.messages;

/** Scopes (Auth0 "permissions") of the demo API {@code https://gatehouse.local/api}. */
public final class Scopes {

    public static final String READ_MESSAGES = "read:messages";

    private Scopes() {
    }

}
