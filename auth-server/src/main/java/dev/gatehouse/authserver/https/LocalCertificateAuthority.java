package dev.gatehouse.authserver.https;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority of this installation and the {@code localhost} certificate it
 * signs, made at first start and kept in a directory beside the data. The CA lives ten
 * years; trusting it once (see the README) makes the browser trust
 * {@code https://localhost:<port>}. The server certificate lives 397 days (the longest a
 * browser accepts) and is re-issued by the same CA when it is missing, expires within 30
 * days or no longer names localhost.
 *
 * <p>
 * Written by hand on Bouncy Castle's certificate builder: the JDK has no public API that
 * writes an X.509 certificate, and Spring Boot only reads them (its SSL bundles take the
 * result).
 *
 * <p>
 * The private keys are written readable by the owner only; the CA's key never leaves the
 * directory. Instances starting together on the same directory take a file lock, so one
 * generates and the others read.
 */
public final class LocalCertificateAuthority {

    /** The CA certificate, the file users import into their trust store. */
    public static final String CA_CERTIFICATE = "gatehouse-ca.pem";

    static final String CA_KEY = "gatehouse-ca-key.pem";

    /** The server certificate chain (localhost, then the CA). */
    static final String SERVER_CERTIFICATE = "localhost.pem";

    static final String SERVER_KEY = "localhost-key.pem";

    private static final Duration CA_LIFETIME = Duration.ofDays(3650);

    private static final Duration SERVER_LIFETIME = Duration.ofDays(397);

    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;

    private final Clock clock;

    public LocalCertificateAuthority(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * The certificate chain and key the HTTPS port serves, generated or renewed as
     * needed.
     */
    public Issued ensure() {
        // File locks are per process: instances in one JVM (tests) queue here first.
        synchronized (LocalCertificateAuthority.class) {
            return ensureLocked();
        }
    }

    private Issued ensureLocked() {
        try {
            Files.createDirectories(this.directory);
            try (FileChannel channel = FileChannel.open(this.directory.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                Instant now = this.clock.instant();
                Authority ca = (isValid(CA_CERTIFICATE, now, Duration.ofDays(1))) ? readAuthority() : newAuthority(now);
                X509Certificate server = readCertificate(SERVER_CERTIFICATE);
                if (ca.generated() || server == null || !Files.exists(this.directory.resolve(SERVER_KEY))
                        || expiresWithin(server, now, RENEW_BEFORE) || !signedBy(server, ca.certificate())) {
                    issueServerCertificate(ca, now);
                }
                return new Issued(this.directory.resolve(SERVER_CERTIFICATE), this.directory.resolve(SERVER_KEY),
                        this.directory.resolve(CA_CERTIFICATE));
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot prepare the HTTPS certificate in " + this.directory.toAbsolutePath()
                    + ": " + ex.getMessage(), ex);
        }
        catch (GeneralSecurityException | OperatorCreationException ex) {
            throw new IllegalStateException("Cannot generate the local HTTPS certificate: " + ex.getMessage(), ex);
        }
    }

    private boolean isValid(String file, Instant now, Duration margin) throws IOException, GeneralSecurityException {
        X509Certificate certificate = readCertificate(file);
        return certificate != null && Files.exists(this.directory.resolve(CA_KEY))
                && !expiresWithin(certificate, now, margin);
    }

    private static boolean expiresWithin(X509Certificate certificate, Instant now, Duration margin) {
        return certificate.getNotAfter().toInstant().isBefore(now.plus(margin));
    }

    private static boolean signedBy(X509Certificate server, X509Certificate ca) {
        try {
            server.verify(ca.getPublicKey());
            return server.getSubjectAlternativeNames() != null
                    && server.getSubjectAlternativeNames().stream().anyMatch((name) -> "localhost".equals(name.get(1)));
        }
        catch (GeneralSecurityException ex) {
            return false;
        }
    }

    private Authority readAuthority() throws IOException, GeneralSecurityException {
        X509Certificate certificate = readCertificate(CA_CERTIFICATE);
        PrivateKey key = KeyFactory.getInstance("EC")
            .generatePrivate(new PKCS8EncodedKeySpec(pemBody(Files.readString(this.directory.resolve(CA_KEY)))));
        return new Authority(certificate, key, false);
    }

    private Authority newAuthority(Instant now)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        KeyPair keys = ecKeyPair();
        X500Name name = new X500Name("CN=Gatehouse local CA " + hostName() + " " + Long.toHexString(RANDOM.nextLong())
                + ", O=Gatehouse (local development)");
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_LIFETIME)), name, keys.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
            .addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(keys.getPublic()));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer(keys)));
        writePrivate(CA_KEY, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        write(CA_CERTIFICATE, pem("CERTIFICATE", certificate.getEncoded()));
        return new Authority(certificate, keys.getPrivate(), true);
    }

    private void issueServerCertificate(Authority ca, Instant now)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        KeyPair keys = ecKeyPair();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(SERVER_LIFETIME)),
                new X500Name("CN=localhost"), keys.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
            .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
            .addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName[] { new GeneralName(GeneralName.dNSName, "localhost"),
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                            new GeneralName(GeneralName.iPAddress, "::1") }))
            .addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(keys.getPublic()))
            .addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(ca.certificate()));
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(ca.key());
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        writePrivate(SERVER_KEY, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        write(SERVER_CERTIFICATE,
                pem("CERTIFICATE", certificate.getEncoded()) + pem("CERTIFICATE", ca.certificate().getEncoded()));
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static ContentSigner signer(KeyPair keys) throws OperatorCreationException {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private X509Certificate readCertificate(String file) throws IOException, GeneralSecurityException {
        Path path = this.directory.resolve(file);
        if (!Files.exists(path)) {
            return null;
        }
        try (var in = Files.newInputStream(path)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        catch (java.security.cert.CertificateException ex) {
            // A damaged file is replaced, like a missing one.
            return null;
        }
    }

    private static byte[] pemBody(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    private static String pem(String type, byte[] der) {
        StringWriter out = new StringWriter();
        out.write("-----BEGIN " + type + "-----\n");
        out.write(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der));
        out.write("\n-----END " + type + "-----\n");
        return out.toString();
    }

    private void write(String file, String content) throws IOException {
        Path temporary = Files.createTempFile(this.directory, file, ".tmp");
        Files.writeString(temporary, content, StandardCharsets.US_ASCII);
        move(temporary, this.directory.resolve(file));
    }

    private void writePrivate(String file, String content) throws IOException {
        Path temporary = Files.createTempFile(this.directory, file, ".tmp");
        try {
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
        }
        catch (UnsupportedOperationException ex) {
            // Windows: the file inherits the directory's access list (the user's profile
            // or the checkout).
        }
        Files.writeString(temporary, content, StandardCharsets.US_ASCII);
        move(temporary, this.directory.resolve(file));
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (AtomicMoveNotSupportedException ex) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (IOException ex) {
            return "localhost";
        }
    }

    /**
     * What the HTTPS port serves and what users trust.
     *
     * @param certificateChain the server certificate followed by the CA's
     * @param privateKey the server's private key (PKCS#8 PEM)
     * @param caCertificate the CA certificate to trust
     */
    public record Issued(Path certificateChain, Path privateKey, Path caCertificate) {
    }

    private record Authority(X509Certificate certificate, PrivateKey key, boolean generated) {
    }

}
