package dev.baton.node.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a few files' modification time and size on one daemon thread and runs {@code onChange}
 * once they changed and then held still for one poll, so a certificate and its key replaced one
 * after the other are read together. {@code onChange} runs on the watcher thread only.
 */
public final class FileWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FileWatcher.class);

    private final List<Path> files;
    private final Runnable onChange;
    private final ScheduledExecutorService timer;
    // owned by the timer thread
    private List<String> loaded;
    private List<String> previous;

    private FileWatcher(String name, List<Path> files, Runnable onChange) {
        this.files = List.copyOf(files);
        this.onChange = onChange;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        this.loaded = signature();
        this.previous = loaded;
    }

    /** Starts polling {@code files} every {@code pollMs} on a daemon thread named {@code name}. */
    public static FileWatcher start(String name, List<Path> files, long pollMs, Runnable onChange) {
        FileWatcher w = new FileWatcher(name, files, onChange);
        w.timer.scheduleWithFixedDelay(w::poll, pollMs, pollMs, TimeUnit.MILLISECONDS);
        return w;
    }

    private void poll() {
        try {
            List<String> now = signature();
            if (!now.equals(loaded) && now.equals(previous)) {
                loaded = now;
                onChange.run();
            }
            previous = now;
        } catch (RuntimeException e) {
            log.error("watching {} failed", files, e);
        }
    }

    private List<String> signature() {
        List<String> sig = new ArrayList<>();
        for (Path p : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                sig.add(a.lastModifiedTime() + "/" + a.size() + "/" + a.fileKey());
            } catch (IOException e) {
                sig.add("missing");
            }
        }
        return sig;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
