package dev.baton.node.hooks;

import dev.baton.node.config.Operations;
import dev.baton.node.role.Role;
import dev.baton.node.role.RoleListener;
import dev.baton.node.role.RoleState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configured {@code on-active}, {@code on-standby}, {@code on-fenced} and {@code
 * on-unhealthy} commands on role transitions, with {@code BATON_NODE_ID}, {@code BATON_ROLE}, {@code
 * BATON_TERM}, {@code BATON_LEADER} and {@code BATON_REASON} (why the node is UNHEALTHY, else empty)
 * in the environment.
 *
 * <p>Order and concurrency: transitions are queued on one thread ({@code baton-hooks}) in the order
 * the role thread reports them, so hooks run in role order and never two at once for this node. A
 * hook still running after the timeout is killed (with its children). Failures are logged and kept
 * as the last result for {@code /v1/status}; they never change the role.
 */
public final class HookRunner implements RoleListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HookRunner.class);

    private final String nodeId;
    private final Operations.Hooks hooks;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "baton-hooks");
        t.setDaemon(true);
        return t;
    });
    private volatile HookResult last;
    private volatile Future<?> lastQueued;
    private volatile Supplier<String> reason = () -> null;
    private volatile java.util.function.Consumer<HookResult> observer = r -> {};

    public HookRunner(String nodeId, Operations.Hooks hooks) {
        this.nodeId = nodeId;
        this.hooks = hooks;
    }

    /** Told of every finished run, on the hook thread (metrics). */
    public void observe(java.util.function.Consumer<HookResult> o) {
        this.observer = o;
    }

    /** Where {@code BATON_REASON} comes from: read on the role thread at the transition. */
    public void reasonFrom(Supplier<String> r) {
        this.reason = r;
    }

    @Override
    public void onTransition(RoleState from, RoleState to) {
        if (from.role() == to.role()) {
            return; // a new leader or term in the same role is not a role change
        }
        String why = to.role() == Role.UNHEALTHY ? reason.get() : null;
        if (from.role() == Role.ACTIVE && to.role() != Role.FENCED && hooks.onFenced() != null) {
            // it stopped being ACTIVE without passing through FENCED (its storage failed, or it was
            // demoted straight to STANDBY): the on-fenced hook still runs first, so a service it
            // guards is stopped before anything else happens
            lastQueued = thread.submit(() -> run("on-fenced", to, hooks.onFenced(), why));
        }
        String command = commandFor(to.role());
        if (command == null) {
            return;
        }
        lastQueued = thread.submit(() -> run(event(to.role()), to, command, why));
    }

    private String commandFor(Role role) {
        return switch (role) {
            case ACTIVE -> hooks.onActive();
            case STANDBY -> hooks.onStandby();
            case FENCED -> hooks.onFenced();
            case UNHEALTHY -> hooks.onUnhealthy();
            default -> null;
        };
    }

    private static String event(Role role) {
        return "on-" + role.name().toLowerCase(java.util.Locale.ROOT);
    }

    private void run(String event, RoleState state, String command, String why) {
        long start = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("BATON_NODE_ID", nodeId);
        env.put("BATON_ROLE", state.role().name());
        env.put("BATON_TERM", Long.toString(state.term()));
        env.put("BATON_LEADER", state.leaderId() == null ? "" : state.leaderId());
        env.put("BATON_REASON", why == null ? "" : why);
        int exit = -1;
        String error = null;
        try {
            Process p = pb.start();
            Thread pump = new Thread(() -> pump(event, p), "baton-hook-output");
            pump.setDaemon(true);
            pump.start();
            if (p.waitFor(hooks.timeoutMs(), TimeUnit.MILLISECONDS)) {
                exit = p.exitValue();
                if (exit != 0) {
                    error = "exited with " + exit;
                }
            } else {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                error = "killed after the " + hooks.timeoutMs() + " ms timeout (--hook-timeout-ms)";
            }
            pump.join(1000);
        } catch (IOException e) {
            error = "could not start: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        HookResult result = new HookResult(event, state.term(), command, exit, ms, error, System.currentTimeMillis());
        last = result;
        observer.accept(result);
        if (result.ok()) {
            log.info("hook {} (term {}) finished in {} ms", event, state.term(), ms);
        } else {
            log.warn("hook {} (term {}) failed after {} ms: {}", event, state.term(), ms, error);
        }
    }

    private static void pump(String event, Process p) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                log.info("hook {}: {}", event, line);
            }
        } catch (IOException e) {
            // the process went away; nothing more to read
        }
    }

    /** The last hook run, or null if none ran yet. */
    public HookResult last() {
        return last;
    }

    /** Waits until every hook queued so far has finished, at most {@code timeoutMs}. */
    public void awaitIdle(long timeoutMs) {
        Future<?> f = lastQueued;
        if (f == null) {
            return;
        }
        try {
            f.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("waiting for hooks: {}", e.toString());
        }
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
