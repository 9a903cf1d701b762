package dev.gatehouse.e2e.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The local certificate authority the authorization servers of a test run share
 * ({@link GatehouseSystem#tlsDirectory()}), and how clients trust it: Chromium through
 * {@code --ignore-certificate-errors-spki-list} naming the CA's public key (a chain the
 * CA did not sign still fails), Java clients through a trust store holding the CA alone.
 */
public final class LocalCa {

    private LocalCa() {
    }

    public static Path certificate() {
        return GatehouseSystem.tlsDirectory().resolve("gatehouse-ca.pem");
    }

    /**
     * {@code flags} plus the one that makes Chromium trust the CA, once the CA exists.
     */
    static List<String> trustedBy(List<String> flags) {
        List<String> all = new ArrayList<>(flags);
        if (Files.exists(certificate())) {
            all.add("--ignore-certificate-errors-spki-list=" + spkiHash(read()));
        }
        return all;
    }

    /** An SSL context trusting the CA and nothing else. */
    public static SSLContext sslContext() {
        try {
            java.security.KeyStore store = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("gatehouse-ca", read());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        }
        catch (GeneralSecurityException | IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static X509Certificate read() {
        try (InputStream in = Files.newInputStream(certificate())) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String spkiHash(X509Certificate certificate) {
        try {
            return Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
