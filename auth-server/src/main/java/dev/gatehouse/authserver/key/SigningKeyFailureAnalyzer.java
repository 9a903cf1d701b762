package dev.gatehouse.authserver.key;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports an unusable signing key as one sentence instead of a stack trace. */
class SigningKeyFailureAnalyzer extends AbstractFailureAnalyzer<SigningKeyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SigningKeyException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Start with the encryption password the keys were stored with (see README-store.md, "
                        + "\"Signing keys and rotation\"). If it is lost, delete the rows of the signing_key table: "
                        + "a new key is generated and tokens signed by the old ones stop verifying.",
                cause);
    }

}
