package dev.gatehouse.authserver.web;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells "the database could not be reached" apart from other failures. The
 * {@link DatabaseUnavailableFilter} answers such a failure with a 503; the throttle of
 * secret checks does not count a check it cut short as a wrong guess.
 */
public final class DatabaseOutage {

    private DatabaseOutage() {
    }

    /** The cause that says the database cannot be reached, if that is what went wrong. */
    public static @Nullable Throwable causeOf(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = (cause.getCause() == cause) ? null : cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessException
                    || cause instanceof RecoverableDataAccessException
                    || cause instanceof CannotCreateTransactionException || cause instanceof TransactionSystemException
                    || cause instanceof SQLTransientException || cause instanceof SQLRecoverableException
                    || cause instanceof SQLNonTransientConnectionException) {
                return cause;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                // 08: connection exception; 57P: PostgreSQL shutting down or restarting
                return cause;
            }
        }
        return null;
    }

}
