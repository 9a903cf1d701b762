package dev.gatehouse.authserver.passkey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.AuthenticatorDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.extension.authenticator.AuthenticationExtensionAuthenticatorOutput;
import com.webauthn4j.data.extension.authenticator.RegistrationExtensionAuthenticatorOutput;

import tools.jackson.databind.json.JsonMapper;

/**
 * A passkey authenticator in Java for the HTTP-level tests: it makes the answers a
 * browser would send (the serialized {@code PublicKeyCredential} of spa-js and of
 * Gatehouse's pages), signed with its own P-256 key, and can be told to misbehave
 * (another origin or RP id, a counter that goes back). webauthn4j's data classes write
 * the CBOR.
 */
public final class SoftwareAuthenticator {

    private static final byte UP = 0x01;

    private static final byte UV = 0x04;

    private static final byte AT = 0x40;

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ObjectConverter converter = new ObjectConverter();

    private final KeyPair keys;

    private final byte[] credentialId = new byte[32];

    private byte[] userHandle = new byte[0];

    private long counter;

    public SoftwareAuthenticator() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            this.keys = generator.generateKeyPair();
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
        RANDOM.nextBytes(this.credentialId);
    }

    public String credentialId() {
        return b64(this.credentialId);
    }

    public long counter() {
        return this.counter;
    }

    /** Sets the counter the next assertion continues from. */
    public void counter(long value) {
        this.counter = value;
    }

    /**
     * A registration answer (navigator.credentials.create) as JSON, spa-js's
     * serialization.
     */
    public String create(String rpId, String origin, String challenge, String userHandle) {
        this.userHandle = Base64.getUrlDecoder().decode(userHandle);
        byte[] clientData = clientData("webauthn.create", challenge, origin);
        AttestedCredentialData attested = new AttestedCredentialData(AAGUID.ZERO, this.credentialId,
                EC2COSEKey.create((ECPublicKey) this.keys.getPublic(), COSEAlgorithmIdentifier.ES256));
        AuthenticatorData<RegistrationExtensionAuthenticatorOutput> data = new AuthenticatorData<>(sha256(rpId),
                (byte) (UP | UV | AT), this.counter, attested);
        byte[] attestation = new AttestationObjectConverter(this.converter)
            .convertToBytes(new AttestationObject(data, new NoneAttestationStatement()));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", b64(clientData));
        response.put("attestationObject", b64(attestation));
        response.put("transports", java.util.List.of("internal"));
        return credential(response);
    }

    /**
     * An assertion (navigator.credentials.get) as JSON; the counter goes up by one first.
     */
    public String get(String rpId, String origin, String challenge) {
        this.counter++;
        return assertion(rpId, origin, challenge, this.counter);
    }

    /** An assertion with the given counter, whatever came before. */
    public String assertion(String rpId, String origin, String challenge, long counterValue) {
        return assertion(rpId, origin, challenge, counterValue, b64(this.userHandle));
    }

    /**
     * The user handle this passkey was created for (base64url), which its assertions
     * name.
     */
    public String userHandle() {
        return b64(this.userHandle);
    }

    /**
     * An assertion (the counter goes up by one first) naming {@code userHandle}
     * (base64url) as its user, whoever the passkey belongs to; {@code null} names none.
     */
    public String getNaming(String rpId, String origin, String challenge, String userHandle) {
        this.counter++;
        return assertion(rpId, origin, challenge, this.counter, userHandle);
    }

    private String assertion(String rpId, String origin, String challenge, long counterValue, String userHandle) {
        byte[] clientData = clientData("webauthn.get", challenge, origin);
        AuthenticatorData<AuthenticationExtensionAuthenticatorOutput> data = new AuthenticatorData<>(sha256(rpId),
                (byte) (UP | UV), counterValue);
        byte[] authenticatorData = new AuthenticatorDataConverter(this.converter).convert(data);
        byte[] signature = sign(concat(authenticatorData, sha256(clientData)));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", b64(clientData));
        response.put("authenticatorData", b64(authenticatorData));
        response.put("signature", b64(signature));
        if (userHandle != null) {
            response.put("userHandle", userHandle);
        }
        return credential(response);
    }

    private String credential(Map<String, Object> response) {
        Map<String, Object> credential = new LinkedHashMap<>();
        credential.put("id", b64(this.credentialId));
        credential.put("rawId", b64(this.credentialId));
        credential.put("type", "public-key");
        credential.put("authenticatorAttachment", "platform");
        credential.put("response", response);
        credential.put("clientExtensionResults", Map.of());
        return JSON.writeValueAsString(credential);
    }

    private static byte[] clientData(String type, String challenge, String origin) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", type);
        data.put("challenge", challenge);
        data.put("origin", origin);
        data.put("crossOrigin", false);
        return JSON.writeValueAsString(data).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] sign(byte[] data) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(this.keys.getPrivate());
            signature.update(data);
            return signature.sign();
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static byte[] sha256(String value) {
        return sha256(value.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

}
