package dev.gatehouse.testkit;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * The kit loaded once more, in a class loader of its own with nothing else (no Spring, no
 * JUnit): a test JVM as the kit's first use sees it, with a runtime not yet loaded.
 */
final class FreshKit implements AutoCloseable {

    private final URLClassLoader loader;

    FreshKit() {
        URL kitClasses = GatehouseServer.class.getProtectionDomain().getCodeSource().getLocation();
        this.loader = new URLClassLoader(new URL[] { kitClasses }, ClassLoader.getPlatformClassLoader());
    }

    ClassLoader loader() {
        return this.loader;
    }

    /** Starts a server with one API, through the kit's public API, by reflection. */
    AutoCloseable start(String api) throws Exception {
        Class<?> serverType = this.loader.loadClass(GatehouseServer.class.getName());
        Object builder = serverType.getMethod("builder").invoke(null);
        Method apiMethod = builder.getClass().getMethod("api", String.class, String[].class);
        apiMethod.setAccessible(true);
        apiMethod.invoke(builder, api, new String[] { "read:things" });
        Method start = builder.getClass().getMethod("start");
        start.setAccessible(true);
        return (AutoCloseable) start.invoke(builder);
    }

    /** A token minted by a server {@link #start(String) started} here. */
    static String mint(Object server, String subject) throws Exception {
        Object token = server.getClass().getMethod("accessToken").invoke(server);
        token.getClass().getMethod("subject", String.class).invoke(token, subject);
        return (String) token.getClass().getMethod("mint").invoke(token);
    }

    @Override
    public void close() throws Exception {
        this.loader.close();
    }

}
