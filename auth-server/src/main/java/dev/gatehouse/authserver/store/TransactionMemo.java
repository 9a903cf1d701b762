package dev.gatehouse.authserver.store;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What the current transaction has read, remembered until it ends, so a row that several
 * steps of one request need is fetched once. A refresh, for instance, runs in one
 * transaction that reads its grant and its user in two places each.
 *
 * <p>
 * Outside a transaction there is no memo and every read goes to the database. An owner
 * that writes what it remembers must {@link #forget(Object) forget} it in the same
 * transaction.
 */
public final class TransactionMemo {

    private TransactionMemo() {
    }

    /**
     * The current transaction's memo of {@code owner} (created at the first call), or
     * {@code null} outside a transaction.
     */
    @SuppressWarnings("unchecked")
    public static <V> @Nullable Map<String, V> of(Object owner) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        Map<String, V> memo = (Map<String, V>) TransactionSynchronizationManager.getResource(owner);
        if (memo == null) {
            memo = new HashMap<>();
            TransactionSynchronizationManager.bindResource(owner, memo);
            Map<String, V> bound = memo;
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                // A transaction started inside this one (REQUIRES_NEW) has a memo of its
                // own.
                @Override
                public void suspend() {
                    TransactionSynchronizationManager.unbindResourceIfPossible(owner);
                }

                @Override
                public void resume() {
                    TransactionSynchronizationManager.bindResource(owner, bound);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(owner);
                }
            });
        }
        return memo;
    }

    /** Drops what the current transaction remembered for {@code owner}, if anything. */
    public static void forget(Object owner) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            Object memo = TransactionSynchronizationManager.getResource(owner);
            if (memo instanceof Map<?, ?> map) {
                map.clear();
            }
        }
    }

}
