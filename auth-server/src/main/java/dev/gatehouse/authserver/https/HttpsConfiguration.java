package dev.gatehouse.authserver.https;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;

import org.apache.catalina.connector.Connector;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.tomcat.SslConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTPS port beside the HTTP one: a second Tomcat connector with Spring Boot's own
 * SSL support, serving either the user's certificate (a Spring Boot SSL bundle named by
 * {@code gatehouse.https.ssl-bundle}) or the one {@link LocalCertificateAuthority}
 * generated at first start.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpsProperties.class)
public class HttpsConfiguration {

    private static final Log log = LogFactory.getLog(HttpsConfiguration.class);

    @Bean
    HttpsPort httpsPort(HttpsProperties https) {
        return new HttpsPort(https);
    }

    @Bean
    @ConditionalOnProperty(name = "gatehouse.https.enabled", havingValue = "true", matchIfMissing = true)
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> httpsConnector(HttpsProperties https,
            ObjectProvider<SslBundles> bundles, HttpsPort port) {
        return (factory) -> {
            SslBundle bundle = bundle(https, bundles);
            Connector connector = new Connector(TomcatWebServerFactory.DEFAULT_PROTOCOL);
            connector.setPort(https.port());
            connector.setScheme("https");
            connector.setSecure(true);
            connector.setProperty("SSLEnabled", "true");
            if (factory.getAddress() != null) {
                connector.setProperty("address", factory.getAddress().getHostAddress());
            }
            new SslConnectorCustomizer(log, connector, Ssl.ClientAuth.NONE).customize(bundle, Map.of());
            factory.addAdditionalConnectors(connector);
            port.connector(connector);
        };
    }

    private static SslBundle bundle(HttpsProperties https, ObjectProvider<SslBundles> bundles) {
        if (https.sslBundle() != null && !https.sslBundle().isBlank()) {
            SslBundles registry = bundles.getIfAvailable();
            if (registry == null) {
                throw new IllegalStateException(
                        "gatehouse.https.ssl-bundle=" + https.sslBundle() + " but no spring.ssl.bundle is configured");
            }
            log.info("HTTPS serves the certificate of SSL bundle '" + https.sslBundle() + "'");
            return registry.getBundle(https.sslBundle());
        }
        LocalCertificateAuthority.Issued issued = new LocalCertificateAuthority(https.directory(), Clock.systemUTC())
            .ensure();
        log.info("HTTPS serves the localhost certificate of the local certificate authority "
                + issued.caCertificate().toAbsolutePath() + "; trust that file once to open https://localhost:"
                + https.port() + " without a warning (README: HTTPS)");
        return SslBundle.of(new PemSslStoreBundle(PemSslStoreDetails.forCertificates(read(issued.certificateChain()))
            .withPrivateKey(read(issued.privateKey())), null));
    }

    private static String read(java.nio.file.Path path) {
        try {
            return Files.readString(path, StandardCharsets.US_ASCII);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

}
