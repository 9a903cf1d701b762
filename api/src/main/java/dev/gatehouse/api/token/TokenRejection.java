package dev.gatehouse.api.token;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jwt.proc.BadJWTException;
import org.springframework.security.oauth2.jwt.BadJwtException;

/**
 * Marks a rejection whose message was written by us for the client: short, and free of
 * internals (no class names, no upstream addresses, no expected values).
 * {@link StrictJwtDecoder} passes only these messages on; everything else a library says
 * is replaced by a fixed description.
 */
public interface TokenRejection {

    String getMessage();

    /** Rejected while choosing the verification key (header checks, unknown key). */
    final class KeyRejection extends KeySourceException implements TokenRejection {

        private static final long serialVersionUID = 1L;

        KeyRejection(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            // A hostile token is not a programming error: the stack would only cost time
            // on the request path.
            return this;
        }

    }

    /**
     * A DPoP proof Spring's decoder refused before its claims were checked, with the
     * reason {@link UndecodableProof} found.
     */
    final class ProofRejection extends BadJwtException implements TokenRejection {

        private static final long serialVersionUID = 1L;

        ProofRejection(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }

    }

    /** Rejected while checking the claims of a correctly signed token. */
    final class ClaimsRejection extends BadJWTException implements TokenRejection {

        private static final long serialVersionUID = 1L;

        ClaimsRejection(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }

    }

}
