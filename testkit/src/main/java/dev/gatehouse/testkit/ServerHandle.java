package dev.gatehouse.testkit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One server in the runtime's class loader, called by reflection. The kit cannot name the
 * server's classes (they live in another class loader, see {@link KitRuntime}), so every
 * call goes through a method looked up by name and passes JDK types only; this is the one
 * place that does it.
 */
final class ServerHandle {

    private static final Set<ServerHandle> RUNNING = ConcurrentHashMap.newKeySet();

    private static final Map<String, Method> METHODS = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime()
            .addShutdownHook(new Thread(() -> RUNNING.forEach(ServerHandle::stop), "gatehouse-testkit-shutdown"));
    }

    private final Object server;

    private ServerHandle(Object server) {
        this.server = server;
    }

    static ServerHandle start(Map<String, Object> options) {
        Class<?> type = KitRuntime.serverClass();
        ServerHandle handle = new ServerHandle(invoke(method(type, "start"), null, options));
        RUNNING.add(handle);
        KitRuntime.serverStarted();
        return handle;
    }

    @SuppressWarnings("unchecked")
    <T> T call(String name, Object... args) {
        return (T) invoke(method(this.server.getClass(), name), this.server, args);
    }

    void stop() {
        if (RUNNING.remove(this)) {
            call("stop");
        }
    }

    private static Method method(Class<?> type, String name) {
        return METHODS.computeIfAbsent(name, key -> {
            for (Method method : type.getMethods()) {
                if (method.getName().equals(key)) {
                    return method;
                }
            }
            throw new IllegalStateException("The test kit's runtime has no method " + key
                    + ": the kit and its embedded runtime come from different builds");
        });
    }

    /**
     * Runs the call; an exception of a JDK type (what the runtime throws for a test
     * author to read) is passed on as it is.
     */
    private static Object invoke(Method method, Object target, Object... args) {
        try {
            return method.invoke(target, args);
        }
        catch (InvocationTargetException ex) {
            Throwable cause = ex.getCause();
            if (cause instanceof RuntimeException runtime && isJdkType(cause)) {
                throw runtime;
            }
            if (cause instanceof Error error && isJdkType(cause)) {
                throw error;
            }
            throw new IllegalStateException(cause.getClass().getName() + ": " + cause.getMessage(), cause);
        }
        catch (IllegalAccessException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static boolean isJdkType(Throwable error) {
        ClassLoader loader = error.getClass().getClassLoader();
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }

}
