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

    public HttpsPort(HttpsProperties properties) {
        this.properties = properties;
    }

    void connector(Connector connector) {
        this.connector = connector;
    }

    /** The bound port; -1 while HTTPS is off or not started. */
    public int port() {
        Connector current = this.connector;
        return (current != null) ? current.getLocalPort() : -1;
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
