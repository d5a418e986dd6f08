package dev.baton.node.security;

import dev.baton.node.config.ConfigException;
import dev.baton.node.tls.FileWatcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens of {@code --token-file} as they are now. Readers (HTTP workers) see one immutable
 * {@link Tokens} through a volatile field; only {@link #reload} writes it, and it is synchronized,
 * so the SIGHUP thread and the file watcher cannot interleave. A reload that fails keeps the
 * tokens in force and logs an ERROR naming the line: a typo must not lock every client out.
 *
 * <p>The file is polled (modification time and size, {@link FileWatcher}) every second rather than
 * watched with a {@code WatchService}: it works the same for an editor's rename-over-the-file, a
 * bind-mounted secret and an in-place append, and costs one {@code stat} a second.
 */
public final class TokenStore implements AutoCloseable {

    public static final String OPTION = "--token-file";
    private static final Logger log = LoggerFactory.getLogger(TokenStore.class);
    private static final long POLL_MS = 1_000;

    private final Path file;
    private volatile Tokens current;
    private final FileWatcher watcher;
    private final AutoCloseable hangup;

    private TokenStore(Path file, Tokens initial, boolean watch) {
        this.file = file;
        this.current = initial;
        if (watch) {
            this.watcher = FileWatcher.start("baton-token-watch", List.of(file), POLL_MS, this::reload);
            this.hangup = HangupSignal.addListener(this::reload);
        } else {
            this.watcher = null;
            this.hangup = null;
        }
    }

    /**
     * Reads {@code file} and keeps it loaded (polled, and re-read on SIGHUP) until closed.
     *
     * @throws ConfigException naming {@value #OPTION} and the bad line
     */
    public static TokenStore open(Path file) {
        return load(file, true);
    }

    /** As {@link #open} but without the watcher thread and SIGHUP: {@link #reload} by hand (tests). */
    static TokenStore load(Path file, boolean watch) {
        Objects.requireNonNull(file, "file");
        try {
            Tokens tokens = read(file);
            log.info("{} {}: {} token(s) loaded", OPTION, file, tokens.size());
            return new TokenStore(file, tokens, watch);
        } catch (IOException e) {
            throw new ConfigException(OPTION, file + " cannot be read: " + e);
        } catch (TokenFileException e) {
            throw new ConfigException(OPTION, file + ": " + e.getMessage());
        }
    }

    /** The tokens in force. */
    public Tokens tokens() {
        return current;
    }

    /** Re-reads the file; on any error keeps the tokens in force. True if the new file took effect. */
    public synchronized boolean reload() {
        try {
            Tokens next = read(file);
            current = next;
            log.info("{} {}: reloaded, {} token(s)", OPTION, file, next.size());
            return true;
        } catch (IOException e) {
            log.error("{} {}: not reloaded, keeping the {} token(s) in force: cannot read it ({})", OPTION, file, current.size(), e.toString());
            return false;
        } catch (TokenFileException e) {
            log.error("{} {}: not reloaded, keeping the {} token(s) in force: {}", OPTION, file, current.size(), e.getMessage());
            return false;
        }
    }

    private static Tokens read(Path file) throws IOException, TokenFileException {
        return TokenFile.parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        if (hangup != null) {
            try {
                hangup.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
