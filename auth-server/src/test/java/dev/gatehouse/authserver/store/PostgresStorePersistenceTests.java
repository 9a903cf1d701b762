package dev.gatehouse.authserver.store;

/**
 * The store on a real PostgreSQL (zonky embedded binaries, one server per test run, one
 * database per test).
 */
class PostgresStorePersistenceTests extends AbstractStorePersistenceTests {

    @Override
    String newDatabaseUrl() {
        return TestDatabases.newPostgresUrl();
    }

    @Override
    String username() {
        return "postgres";
    }

    @Override
    String password() {
        return "postgres";
    }

}
