package dev.gatehouse.authserver.mfa;

import java.time.Instant;

/** Codes an authenticator app would show, computed by the tests. */
public final class TotpTestCodes {

    private static final Totp TOTP = new Totp();

    private TotpTestCodes() {
    }

    public static String code(String secret, Instant time) {
        return TOTP.code(secret, time);
    }

}
