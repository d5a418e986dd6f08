package dev.baton.node.security;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP ({@code kill -HUP <pid>}) as a reload request: every listener runs, in registration
 * order, on the JVM's signal thread; keep them short and let none throw (one that does is logged
 * and the others still run). The handler is installed once, with the first listener.
 *
 * <p>{@code sun.misc.Signal} is reached by reflection: naming it in source is a javac warning that
 * cannot be suppressed, and the build treats warnings as errors. Where the JVM has no such signal
 * (Windows) reload on file change still works and a warning says SIGHUP does not.
 */
public final class HangupSignal {

    private static final Logger log = LoggerFactory.getLogger(HangupSignal.class);
    private static final List<Runnable> LISTENERS = new CopyOnWriteArrayList<>();
    private static boolean installed; // guarded by HangupSignal.class

    private HangupSignal() {}

    /** Adds {@code listener}; the returned handle removes it. */
    public static AutoCloseable addListener(Runnable listener) {
        LISTENERS.add(listener);
        install();
        return () -> LISTENERS.remove(listener);
    }

    /** Runs the listeners as a SIGHUP would (for tests and for the signal thread). */
    public static void fire() {
        log.info("SIGHUP: reloading ({} listener(s))", LISTENERS.size());
        for (Runnable r : LISTENERS) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.error("SIGHUP listener failed", e);
            }
        }
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object hup = signal.getConstructor(String.class).newInstance("HUP");
            InvocationHandler onSignal = (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                    fire();
                    return null;
                }
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "HangupSignal";
                };
            };
            Object h = Proxy.newProxyInstance(HangupSignal.class.getClassLoader(), new Class<?>[] {handler}, onSignal);
            Object previous = signal.getMethod("handle", signal, handler).invoke(null, hup, h);
            // A JVM started with SIGHUP ignored (nohup, or a parent that ignores it) keeps it
            // ignored and says so only through the previous handler it returns.
            if (previous != null && previous.equals(handler.getField("SIG_IGN").get(null))) {
                log.warn("SIGHUP is ignored by this process (started with SIGHUP ignored, e.g. under nohup); "
                        + "the token file and certificates are reloaded on file change only");
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.warn("SIGHUP cannot be caught on this JVM ({}); reload happens on file change only", e.toString());
        }
    }
}
