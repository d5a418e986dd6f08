package dev.baton.client.internal;

import dev.baton.client.wire.MemberInfo;
import dev.baton.client.wire.NodeStatus;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the client knows of the cluster: the node URLs (seeds first, then those learned from
 * {@code /v1/status} members and redirects) and the cached active. Thread-safe: any thread may
 * read and update it; the cached leader is replaced atomically and only dropped by the caller that
 * saw it fail ({@link #dropLeader} compares first), so a fresh answer is not lost to a stale failure.
 */
public final class ClusterView {

    private static final Logger log = LoggerFactory.getLogger(ClusterView.class);

    private final List<URI> seeds;
    private final Set<URI> learned = new LinkedHashSet<>(); // guarded by itself
    private final AtomicReference<LeaderRef> leader = new AtomicReference<>();

    public ClusterView(List<URI> seeds) {
        this.seeds = List.copyOf(seeds);
    }

    /** Seeds first (in the given order), then learned URLs in the order they were learned. */
    public Set<URI> knownNodes() {
        LinkedHashSet<URI> all = new LinkedHashSet<>(seeds);
        synchronized (learned) {
            all.addAll(learned);
        }
        return Collections.unmodifiableSet(all);
    }

    public Optional<LeaderRef> leader() {
        return Optional.ofNullable(leader.get());
    }

    /** Caches {@code next} as the active and remembers its URL. */
    public void setLeader(LeaderRef next) {
        LeaderRef previous = leader.getAndSet(next);
        learn(next.url());
        logChange(previous, next);
    }

    /**
     * Caches {@code next} unless the cached active has a higher term: for answers that may arrive
     * late (a long-poll), which must not replace a newer leader learned meanwhile.
     */
    public void offerLeader(LeaderRef next) {
        LeaderRef previous = leader.getAndUpdate(current -> current != null && current.term() > next.term() ? current : next);
        learn(next.url());
        if (previous == null || previous.term() <= next.term()) {
            logChange(previous, next);
        }
    }

    private static void logChange(LeaderRef previous, LeaderRef next) {
        if (previous == null) {
            log.debug("active is {}", next);
        } else if (!previous.url().equals(next.url())) {
            log.info("active moved from {} to {}", previous, next);
        }
    }

    /** Drops the cached leader if it is still the one at {@code url}. */
    public void dropLeader(URI url) {
        LeaderRef current = leader.get();
        if (current != null && current.url().equals(url) && leader.compareAndSet(current, null)) {
            log.debug("dropped cached active {}", current);
        }
    }

    /** Remembers every usable URL a status answer names (itself, its leader, its members). */
    public void learn(NodeStatus status) {
        learnRaw(status.url());
        if (status.leader() != null) {
            learnRaw(status.leader().url());
        }
        if (status.members() != null) {
            for (MemberInfo m : status.members()) {
                if (m != null) {
                    learnRaw(m.url());
                }
            }
        }
    }

    void learn(URI normalizedUrl) {
        if (seeds.contains(normalizedUrl)) {
            return;
        }
        boolean added;
        synchronized (learned) {
            added = learned.add(normalizedUrl);
        }
        if (added) {
            log.debug("learned node {}", normalizedUrl);
        }
    }

    private void learnRaw(String url) {
        if (url == null || url.isBlank()) {
            return;
        }
        try {
            learn(NodeUrls.parse(url));
        } catch (IllegalArgumentException e) {
            log.warn("ignoring unusable node URL from a status answer: {}", e.getMessage());
        }
    }
}
