package dev.gatehouse.e2e.support;

/**
 * The demo tenant's users, built into the authorization server.
 *
 * @param email the login name
 * @param password the password
 */
public record DemoUser(String email, String password) {

    /**
     * Has the role {@code reader}, so its access tokens carry the permission
     * {@code read:messages}.
     */
    public static final DemoUser DEMO = new DemoUser("demo@example.com", "Demo-Passw0rd");

    /**
     * Has no roles: a valid token, but no permission, so {@code /api/private-scoped}
     * answers 403.
     */
    public static final DemoUser VIEWER = new DemoUser("viewer@example.com", "Viewer-Passw0rd");

}
