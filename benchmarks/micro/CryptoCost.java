import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU cost per operation of what a token endpoint and an API do for every request: RS256 signing and verifying
 * (JDK default provider and native-backed JCA providers, when their jars are on the class path), and a bcrypt
 * check at Spring Security's default cost 10 (what a client_secret_basic/post check costs when the client secret
 * is stored as a {bcrypt} hash). Measured as thread CPU time, so a busy machine inflates it far less than wall time.
 *
 * Run through benchmarks/micro/run-crypto (puts the optional jars on the class path).
 */
public class CryptoCost {

    static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    interface Op { void run() throws Exception; }

    /** Median of 5 rounds of CPU microseconds per operation, after a warm-up round. */
    static double cpuMicrosPerOp(Op op, int n) throws Exception {
        for (int i = 0; i < n; i++) op.run();
        List<Double> rounds = new ArrayList<>();
        for (int r = 0; r < 5; r++) {
            long t0 = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) op.run();
            rounds.add((CPU.getCurrentThreadCpuTime() - t0) / 1000.0 / n);
        }
        rounds.sort(null);
        return rounds.get(2);
    }

    public static void main(String[] args) throws Exception {
        System.out.println("java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        List<Provider> providers = new ArrayList<>();
        providers.add(Signature.getInstance("SHA256withRSA").getProvider());
        tryAdd(providers, "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider", "INSTANCE");
        tryAdd(providers, "org.conscrypt.OpenSSLProvider", null);

        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        // About the size of a JWS signing input of an access token.
        byte[] input = "eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9.".repeat(12).getBytes(StandardCharsets.US_ASCII);
        Signature reference = Signature.getInstance("SHA256withRSA");
        reference.initSign(keys.getPrivate());
        reference.update(input);
        byte[] signature = reference.sign();

        for (Provider provider : providers) {
            Signature signer = Signature.getInstance("SHA256withRSA", provider);
            Signature verifier = Signature.getInstance("SHA256withRSA", provider);
            double sign = cpuMicrosPerOp(() -> {
                signer.initSign(keys.getPrivate());
                signer.update(input);
                signer.sign();
            }, 300);
            double verify = cpuMicrosPerOp(() -> {
                verifier.initVerify(keys.getPublic());
                verifier.update(input);
                if (!verifier.verify(signature)) throw new IllegalStateException("bad signature");
            }, 2000);
            System.out.printf("RS256 %-28s sign %8.1f µs CPU   verify %6.1f µs CPU%n", provider.getName() + " " + provider.getVersionStr(), sign, verify);
        }

        try {
            Class<?> bcrypt = Class.forName("org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder");
            Object encoder = bcrypt.getConstructor().newInstance();
            String hash = (String) bcrypt.getMethod("encode", CharSequence.class).invoke(encoder, "gatehouse-m2m-secret");
            var matches = bcrypt.getMethod("matches", CharSequence.class, String.class);
            double check = cpuMicrosPerOp(() -> {
                if (!(Boolean) matches.invoke(encoder, "gatehouse-m2m-secret", hash)) throw new IllegalStateException();
            }, 10);
            System.out.printf("bcrypt cost 10 check (Spring Security default)  %8.1f µs CPU%n", check);
        }
        catch (ClassNotFoundException ex) {
            System.out.println("bcrypt: spring-security-crypto not on the class path, skipped");
        }
    }

    static void tryAdd(List<Provider> providers, String className, String instanceField) {
        try {
            Class<?> type = Class.forName(className);
            Provider provider = instanceField != null ? (Provider) type.getField(instanceField).get(null)
                    : (Provider) type.getConstructor().newInstance();
            providers.add(provider);
        }
        catch (Throwable ex) {
            System.out.println("(" + className + " not available: " + ex + ")");
        }
    }
}
