package dev.gatehouse.api.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real authorization server stand-in for tests: a JDK HTTP server on a free port that
 * serves OpenID discovery and a JWKS of real RSA keys, signs tokens with them, and can
 * misbehave on demand (rotate keys, go down, answer slowly, answer garbage or an error)
 * while counting every JWKS and discovery request.
 * <p>
 * Hand-written rather than mock-oauth2-server: these tests need to stop, slow and corrupt
 * the JWKS endpoint and count its hits, which that server does not offer.
 */
public final class TestIssuer implements AutoCloseable {

    /** What the JWKS endpoint does. */
    public enum Mode {

        /** Serve the current key set. */
        NORMAL,
        /** Answer after {@link #slowness}. */
        SLOW,
        /** Answer 200 with a body that is not a JWK set. */
        GARBAGE,
        /** Answer 500. */
        ERROR

    }

    public static final String AUDIENCE = "https://gatehouse.local/api";

    private int port;

    private final AtomicInteger jwksHits = new AtomicInteger();

    private final AtomicInteger discoveryHits = new AtomicInteger();

    private final AtomicInteger attackerHits = new AtomicInteger();

    private final RSAKey attackerKey = newKey(true);

    private volatile List<RSAKey> published = new ArrayList<>();

    private volatile RSAKey signingKey;

    private volatile Mode mode = Mode.NORMAL;

    private volatile Duration slowness = Duration.ofSeconds(5);

    private volatile boolean algInJwks = true;

    private HttpServer server;

    private ExecutorService executor;

    private TestIssuer(int port) {
        this.signingKey = newKey(true);
        this.published = List.of(this.signingKey);
        this.port = port;
    }

    /** Starts on a free port. */
    public static TestIssuer start() {
        TestIssuer issuer = new TestIssuer(0);
        issuer.bind(0);
        return issuer;
    }

    /** Knows its port (free now) but is not listening: an issuer that is down. */
    public static TestIssuer reserveDown() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return new TestIssuer(socket.getLocalPort());
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void bind(int wanted) {
        try {
            this.server = HttpServer.create(new InetSocketAddress("localhost", wanted), 50);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        this.executor = Executors.newCachedThreadPool();
        this.server.setExecutor(this.executor);
        this.server.createContext("/.well-known/openid-configuration", this::discovery);
        this.server.createContext("/.well-known/jwks.json", this::jwks);
        this.server.createContext("/attacker/jwks.json", this::attacker);
        this.server.start();
        this.port = this.server.getAddress().getPort();
    }

    public int port() {
        return (this.server != null) ? this.server.getAddress().getPort() : this.port;
    }

    /** The issuer identifier, with the trailing slash Auth0 uses. */
    public String issuer() {
        return "http://localhost:" + port() + "/";
    }

    public String jwksUri() {
        return issuer() + ".well-known/jwks.json";
    }

    public String attackerJwksUri() {
        return issuer() + "attacker/jwks.json";
    }

    public int jwksHits() {
        return this.jwksHits.get();
    }

    public int discoveryHits() {
        return this.discoveryHits.get();
    }

    public int attackerHits() {
        return this.attackerHits.get();
    }

    public RSAKey signingKey() {
        return this.signingKey;
    }

    public RSAKey attackerKey() {
        return this.attackerKey;
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    public void slowness(Duration slowness) {
        this.slowness = slowness;
    }

    /**
     * Publish keys without {@code alg}, as many issuers do (then only our allow-list
     * stops RS384 or PS256).
     */
    public void publishWithoutAlg() {
        this.algInJwks = false;
    }

    /**
     * A new signing key, published next to the old one (the old one is dropped after the
     * next rotation).
     */
    public RSAKey rotate() {
        RSAKey next = newKey(true);
        this.published = List.of(next, this.signingKey);
        this.signingKey = next;
        return next;
    }

    /** Stops listening: connections are refused until {@link #resume()}. */
    public void stop() {
        if (this.server != null) {
            this.server.stop(0);
            this.executor.shutdownNow();
            this.server = null;
        }
    }

    /** Listens again, on the same port. */
    public void resume() {
        if (this.server == null) {
            bind(this.port);
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * A valid access token for our audience, five minutes long, changed by
     * {@code claims}.
     */
    public String token(Consumer<JWTClaimsSet.Builder> claims) {
        return token((header) -> {
        }, claims);
    }

    public String token(Consumer<JWSHeader.Builder> header, Consumer<JWTClaimsSet.Builder> claims) {
        return sign(this.signingKey, JWSAlgorithm.RS256, header, claims);
    }

    /**
     * Signs with {@code key} and {@code algorithm}; header and claims start from a valid
     * token.
     */
    public String sign(RSAKey key, JWSAlgorithm algorithm, Consumer<JWSHeader.Builder> header,
            Consumer<JWTClaimsSet.Builder> claims) {
        JWSHeader.Builder headerBuilder = new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT)
            .keyID(key.getKeyID());
        header.accept(headerBuilder);
        SignedJWT jwt = new SignedJWT(headerBuilder.build(), validClaims(claims));
        try {
            jwt.sign(new RSASSASigner(key));
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
        return jwt.serialize();
    }

    public JWTClaimsSet validClaims(Consumer<JWTClaimsSet.Builder> changes) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer())
            .subject("auth0|demo-user")
            .audience(List.of(AUDIENCE, issuer() + "userinfo"))
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(300)))
            .claim("azp", "gatehouse-spa");
        changes.accept(claims);
        return claims.build();
    }

    private static RSAKey newKey(boolean withKid) {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE)
                .keyID(withKid ? UUID.randomUUID().toString() : null)
                .generate();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void discovery(HttpExchange exchange) throws IOException {
        this.discoveryHits.incrementAndGet();
        String body = "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + jwksUri() + "\","
                + "\"authorization_endpoint\":\"" + issuer() + "authorize\"," + "\"token_endpoint\":\"" + issuer()
                + "oauth/token\"}";
        respond(exchange, 200, body);
    }

    private void jwks(HttpExchange exchange) throws IOException {
        this.jwksHits.incrementAndGet();
        switch (this.mode) {
            case SLOW -> {
                try {
                    Thread.sleep(this.slowness.toMillis());
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                respond(exchange, 200, publishedJwks());
            }
            case GARBAGE -> respond(exchange, 200, "<html><body>Service temporarily unavailable</body></html>");
            case ERROR -> respond(exchange, 500, "{\"error\":\"boom\"}");
            default -> respond(exchange, 200, publishedJwks());
        }
    }

    private void attacker(HttpExchange exchange) throws IOException {
        this.attackerHits.incrementAndGet();
        respond(exchange, 200, new JWKSet(this.attackerKey.toPublicJWK()).toString());
    }

    private String publishedJwks() {
        List<JWK> keys = new ArrayList<>();
        for (RSAKey key : this.published) {
            RSAKey.Builder builder = new RSAKey.Builder(key.toPublicJWK()).keyID(key.getKeyID())
                .keyUse(KeyUse.SIGNATURE);
            if (this.algInJwks) {
                builder.algorithm(JWSAlgorithm.RS256);
            }
            keys.add(builder.build());
        }
        return new JWKSet(keys).toString();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        try {
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        catch (IOException ex) {
            // The API gave up waiting (timeout test): nothing to do.
        }
    }

}
