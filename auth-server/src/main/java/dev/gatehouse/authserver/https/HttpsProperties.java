package dev.gatehouse.authserver.https;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The HTTPS port ({@code gatehouse.https.*}), beside the HTTP one: the SDK's passkey API
 * always calls {@code https://<domain>}, so a scheme-less {@code domain} such as
 * {@code localhost:9443} must reach the server over TLS.
 *
 * @param enabled serve HTTPS as well (env {@code GATEHOUSE_HTTPS_ENABLED})
 * @param port the HTTPS port (env {@code GATEHOUSE_HTTPS_PORT}); 0 picks a free one
 * @param issuer the issuer named by everything served over HTTPS (discovery, tokens);
 * {@code null}: {@code https://localhost:<port>/}
 * @param directory where the local certificate authority and the localhost certificate
 * are generated at first start and kept (env {@code GATEHOUSE_HTTPS_DIRECTORY})
 * @param sslBundle the name of a Spring Boot SSL bundle ({@code spring.ssl.bundle.*})
 * holding your own certificate; {@code null} uses the generated one
 */
@ConfigurationProperties("gatehouse.https")
public record HttpsProperties(@DefaultValue("true") boolean enabled, @DefaultValue("9443") int port,
        @Nullable String issuer, @DefaultValue("data/tls") Path directory, @Nullable String sslBundle) {

    /** The issuer for requests on the HTTPS port that arrived on {@code localPort}. */
    public String issuerFor(int localPort) {
        if (this.issuer != null && !this.issuer.isBlank()) {
            return this.issuer.endsWith("/") ? this.issuer : this.issuer + "/";
        }
        return "https://localhost:" + localPort + "/";
    }

}
