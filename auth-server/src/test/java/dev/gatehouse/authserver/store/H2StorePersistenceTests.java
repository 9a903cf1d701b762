package dev.gatehouse.authserver.store;

/** The store on H2 in PostgreSQL mode, the default embedded database. */
class H2StorePersistenceTests extends AbstractStorePersistenceTests {

    @Override
    String newDatabaseUrl() {
        return TestDatabases.newH2Url();
    }

    @Override
    String username() {
        return "sa";
    }

    @Override
    String password() {
        return "";
    }

}
