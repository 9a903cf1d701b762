package dev.gatehouse.authserver.cluster;

import java.sql.SQLException;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * A migration may rewrite or index a large table, so each runs as one of the
 * {@link LongStatements}, whatever the connections' read timeout.
 */
final class LongMigrations extends BaseCallback {

    @Override
    public boolean supports(Event event, Context context) {
        // Flyway hands this event the connection the migration then runs on.
        return event == Event.BEFORE_EACH_MIGRATE;
    }

    @Override
    public void handle(Event event, Context context) {
        try {
            LongStatements.allow(context.getConnection());
        }
        catch (SQLException ex) {
            throw new FlywayException("Cannot lift the read timeout for the migrations", ex);
        }
    }

    @Override
    public String getCallbackName() {
        return "long-migrations";
    }

}
