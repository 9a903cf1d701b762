package dev.gatehouse.authserver.https;

import org.apache.catalina.connector.Connector;
import org.jspecify.annotations.Nullable;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The HTTPS connector once it exists: tells whether a request came in on it (and not,
 * say, through a TLS-terminating proxy to the HTTP port), and which issuer such a request
 * is answered as.
 */
public class HttpsPort {

    private final HttpsProperties properties;

    private volatile @Nullable Connector connector;

    private volatile int boundPort = -1;

    public HttpsPort(HttpsProperties properties) {
        this.properties = properties;
    }

    void connector(Connector connector) {
        this.connector = connector;
    }

    /** The bound port; -1 while HTTPS is off or not started. */
    public int port() {
        int known = this.boundPort;
        if (known > 0) {
            return known;
        }
        Connector current = this.connector;
        int port = (current != null) ? current.getLocalPort() : -1;
        if (port > 0) {
            // Asked on every request; the connector answers through the server socket's
            // lock, and a bound port does not change.
            this.boundPort = port;
        }
        return port;
    }

    /** Whether {@code request} arrived on the HTTPS port. */
    public boolean received(HttpServletRequest request) {
        int port = port();
        return port > 0 && request.isSecure() && request.getLocalPort() == port;
    }

    /** The issuer a request is answered as: the HTTPS issuer on the HTTPS port. */
    public String issuerOf(HttpServletRequest request, String issuer) {
        return received(request) ? this.properties.issuerFor(request.getLocalPort()) : issuer;
    }

    /** The HTTPS issuer, or {@code null} while HTTPS is off or not started. */
    public @Nullable String issuer() {
        int port = port();
        return (port > 0) ? this.properties.issuerFor(port) : null;
    }

}
