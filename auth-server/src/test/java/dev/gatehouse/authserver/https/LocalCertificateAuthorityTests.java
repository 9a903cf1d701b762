package dev.gatehouse.authserver.https;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class LocalCertificateAuthorityTests {

    @TempDir
    Path directory;

    @Test
    void firstStartGeneratesACaAndALocalhostCertificateItSigns() throws Exception {
        LocalCertificateAuthority.Issued issued = new LocalCertificateAuthority(this.directory, Clock.systemUTC())
            .ensure();

        X509Certificate ca = certificates(issued.caCertificate()).get(0);
        List<X509Certificate> chain = certificates(issued.certificateChain());
        assertThat(ca.getBasicConstraints()).isEqualTo(0);
        assertThat(chain).hasSize(2);
        X509Certificate server = chain.get(0);
        server.verify(ca.getPublicKey());
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        List<Object> names = new ArrayList<>();
        server.getSubjectAlternativeNames().forEach((name) -> names.add(name.get(1)));
        assertThat(names).contains("localhost", "127.0.0.1");
        assertThat(server.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertThat(Duration.between(server.getNotBefore().toInstant(), server.getNotAfter().toInstant()))
            .isLessThanOrEqualTo(Duration.ofDays(398));
        if (Files.getFileStore(this.directory).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(issued.privateKey()))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThat(Files.getPosixFilePermissions(this.directory.resolve(LocalCertificateAuthority.CA_KEY)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
    }

    @Test
    void laterStartsKeepTheCaAndTheCertificate() throws Exception {
        LocalCertificateAuthority authority = new LocalCertificateAuthority(this.directory, Clock.systemUTC());
        LocalCertificateAuthority.Issued first = authority.ensure();
        byte[] ca = Files.readAllBytes(first.caCertificate());
        byte[] chain = Files.readAllBytes(first.certificateChain());

        LocalCertificateAuthority.Issued second = authority.ensure();

        assertThat(Files.readAllBytes(second.caCertificate())).isEqualTo(ca);
        assertThat(Files.readAllBytes(second.certificateChain())).isEqualTo(chain);
    }

    @Test
    void certificateNearItsEndIsReissuedByTheSameCa() throws Exception {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        LocalCertificateAuthority.Issued first = new LocalCertificateAuthority(this.directory,
                Clock.fixed(start, ZoneOffset.UTC))
            .ensure();
        byte[] ca = Files.readAllBytes(first.caCertificate());
        X509Certificate before = certificates(first.certificateChain()).get(0);

        LocalCertificateAuthority.Issued later = new LocalCertificateAuthority(this.directory,
                Clock.fixed(start.plus(Duration.ofDays(380)), ZoneOffset.UTC))
            .ensure();

        assertThat(Files.readAllBytes(later.caCertificate())).isEqualTo(ca);
        X509Certificate after = certificates(later.certificateChain()).get(0);
        assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
        after.verify(certificates(later.caCertificate()).get(0).getPublicKey());
    }

    @Test
    void damagedCertificateIsReplaced() throws Exception {
        LocalCertificateAuthority authority = new LocalCertificateAuthority(this.directory, Clock.systemUTC());
        LocalCertificateAuthority.Issued first = authority.ensure();
        Files.writeString(first.certificateChain(), "not a certificate");

        LocalCertificateAuthority.Issued second = authority.ensure();

        certificates(second.certificateChain()).get(0)
            .verify(certificates(second.caCertificate()).get(0).getPublicKey());
    }

    static List<X509Certificate> certificates(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends java.security.cert.Certificate> all = CertificateFactory.getInstance("X.509")
                .generateCertificates(in);
            List<X509Certificate> result = new ArrayList<>();
            all.forEach((c) -> result.add((X509Certificate) c));
            return result;
        }
    }

}
