package dev.gatehouse.authserver.passkey;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The WebAuthn relying party ({@code gatehouse.passkeys.*}).
 *
 * @param rpId the relying party id passkeys are bound to; {@code null}: the issuer's host
 * ({@code localhost}). A passkey works on every page whose host is the RP id or below it,
 * so an SPA on {@code app.example.com} calling the SDK's passkey API needs the RP id
 * {@code example.com} when the issuer is {@code auth.example.com}
 * @param rpName the name authenticators show beside the account
 */
@ConfigurationProperties("gatehouse.passkeys")
public record PasskeyProperties(@Nullable String rpId, @DefaultValue("Gatehouse") String rpName) {

}
