package dev.baton.client;

import dev.baton.client.internal.Backoff;
import dev.baton.client.internal.Call;
import dev.baton.client.internal.Caller;
import dev.baton.client.internal.ClusterView;
import dev.baton.client.internal.Discovery;
import dev.baton.client.internal.HttpTransport;
import dev.baton.client.internal.Json;
import dev.baton.client.internal.NodeUrls;
import dev.baton.client.internal.Outcome;
import dev.baton.client.internal.Paths;
import dev.baton.client.internal.RetryPolicy;
import dev.baton.client.internal.Time;
import dev.baton.client.internal.Transport;
import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.LeaderInfo;
import dev.baton.client.wire.NodeStatus;
import dev.baton.client.wire.WriteResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client of a Baton cluster. Give it some node URLs (seeds); it finds the ACTIVE node, caches it,
 * follows redirects and failovers, and retries within a per-call deadline.
 *
 * <pre>{@code
 * try (BatonClient baton = BatonClient.builder().seeds("http://127.0.0.11:8080,http://127.0.0.12:8080").build()) {
 *     WriteResult w = baton.put("config/mode", "blue");
 *     Optional<KvEntry> e = baton.get("config/mode");
 * }
 * }</pre>
 *
 * <p><b>Routing.</b> Key-value calls go to the cached active. Without one, the client asks every
 * known node {@code GET /v1/leader} in parallel and takes the answer with the highest term. A 307
 * from a standby is followed and updates the cache. On a connection error, timeout, 503 or a
 * redirect loop the cache is dropped and the call retried after an exponential backoff with jitter
 * (50 ms doubling to 1 s) until the deadline. Node URLs named in {@code /v1/status} member lists
 * are learned, so the seeds may be a subset of the cluster.
 *
 * <p><b>Writes</b> carry {@code Baton-Client-Id} and a per-client increasing {@code
 * Baton-Request-Seq}; all attempts of one write reuse the same sequence number so that a node can
 * de-duplicate a write retried across a failover. A write that may have been applied but could not
 * be confirmed ends in {@link OutcomeUnknownException}.
 *
 * <p>Immutable configuration, thread-safe; see the package documentation for nulls and threads.
 */
public final class BatonClient implements AutoCloseable {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final List<URI> seeds;
    private final Duration requestTimeout;
    private final Duration deadline;
    private final String clientId;
    private final ExecutorService executor;
    private final Transport transport;
    private final ClusterView view;
    private final Caller caller;
    private final AtomicLong requestSeq = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    private BatonClient(Builder b) {
        this(b, null, Time.SYSTEM);
    }

    /** For tests: {@code transport} null means HTTP over {@link HttpClient}. */
    BatonClient(Builder b, Transport transport, Time time) {
        this.seeds = b.seeds;
        this.requestTimeout = b.requestTimeout;
        this.deadline = b.deadline;
        this.clientId = b.clientId;
        this.executor = Executors.newCachedThreadPool(daemonThreads("baton-client-" + INSTANCES.incrementAndGet()));
        this.transport = transport != null ? transport : new HttpTransport(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(requestTimeout)
                .executor(executor)
                .build());
        this.view = new ClusterView(seeds);
        Discovery discovery = new Discovery(this.transport, view);
        this.caller = new Caller(this.transport, view, discovery, Backoff.DEFAULT, requestTimeout, deadline, clientId, time);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Finds the active now (a fresh discovery round, not the cache), retrying until the deadline.
     *
     * @throws NoLeaderException if no node named an active within the deadline
     */
    public LeaderInfo leader() {
        checkOpen();
        var leader = caller.findLeader();
        return new LeaderInfo(leader.id(), leader.url().toString(), leader.term());
    }

    /** The key's entry (value decoded as UTF-8), or empty if the key does not exist. Linearizable. */
    public Optional<KvEntry> get(String key) {
        String path = Paths.kv(key);
        return call(new Call<Optional<KvEntry>>("get", "GET", path, null, false, key, -1, 0,
                answer -> Optional.of(Json.read(answer.body(), KvEntry.class)), Optional::empty));
    }

    /** The key's exact value bytes, or empty if the key does not exist. Linearizable. */
    public Optional<byte[]> getBytes(String key) {
        String path = Paths.kv(key) + "?raw=true";
        return call(new Call<Optional<byte[]>>("get", "GET", path, null, false, key, -1, 0,
                answer -> Optional.of(answer.body()), Optional::empty));
    }

    /** Sets the key to the UTF-8 bytes of {@code value}; answers after a majority committed it. */
    public WriteResult put(String key, String value) {
        return put(key, Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8));
    }

    /** Sets the key to {@code value}; answers after a majority committed it. */
    public WriteResult put(String key, byte[] value) {
        return write("put", "PUT", Paths.kv(key), key, value.clone(), -1);
    }

    /**
     * Sets the key only if its revision is {@code expectedRevision} (0 = the key must not exist).
     *
     * @throws RevisionMismatchException if the key's revision differs (carries the current one)
     */
    public WriteResult compareAndSet(String key, long expectedRevision, byte[] value) {
        if (expectedRevision < 0) {
            throw new IllegalArgumentException("expectedRevision must be >= 0 (0 = key must not exist), got " + expectedRevision);
        }
        return write("compare-and-set", "PUT", Paths.kv(key) + "?ifRevision=" + expectedRevision, key, value.clone(),
                expectedRevision);
    }

    /** As {@link #compareAndSet(String, long, byte[])} with the UTF-8 bytes of {@code value}. */
    public WriteResult compareAndSet(String key, long expectedRevision, String value) {
        return compareAndSet(key, expectedRevision, Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8));
    }

    /** Deletes the key; {@link WriteResult#existed()} is false if there was nothing to delete. */
    public WriteResult delete(String key) {
        return write("delete", "DELETE", Paths.kv(key), key, null, -1);
    }

    /**
     * The entries whose key starts with {@code prefix} ("" for all), sorted by key; at most the
     * node's default limit (1000). Linearizable.
     */
    public List<KvEntry> list(String prefix) {
        String path = Paths.list(prefix);
        return call(new Call<List<KvEntry>>("list", "GET", path, null, false, prefix, -1, 0,
                answer -> Json.readEntries(answer.body()), null));
    }

    /**
     * Asks one node for its status: one attempt, bounded by the request timeout, no retries.
     *
     * @throws NodeUnreachableException if the node cannot be reached
     * @throws BatonException if it answers something other than a status
     */
    public NodeStatus status(URI node) {
        checkOpen();
        URI url = NodeUrls.normalize(Objects.requireNonNull(node, "node"));
        NodeStatusResult result = statusAsync(url).join();
        if (result.error() != null) {
            throw result.error();
        }
        return result.status();
    }

    /**
     * Asks every known node for its status in parallel (and then, once, the nodes that answer
     * taught it about), each bounded by the request timeout. One result per node, in {@link
     * #knownNodes()} order; an unreachable node has a {@link NodeUnreachableException} as error.
     */
    public List<NodeStatusResult> statusAll() {
        checkOpen();
        Map<URI, NodeStatusResult> results = new LinkedHashMap<>();
        for (int round = 0; round < 2; round++) {
            List<CompletableFuture<NodeStatusResult>> pending = new ArrayList<>();
            for (URI node : view.knownNodes()) {
                if (!results.containsKey(node)) {
                    pending.add(statusAsync(node));
                }
            }
            if (pending.isEmpty()) {
                break;
            }
            for (CompletableFuture<NodeStatusResult> f : pending) {
                NodeStatusResult r = f.join();
                results.put(r.node(), r);
            }
        }
        List<NodeStatusResult> ordered = new ArrayList<>();
        for (URI node : view.knownNodes()) {
            if (results.containsKey(node)) {
                ordered.add(results.get(node));
            }
        }
        return List.copyOf(ordered);
    }

    /** The seeds, then the node URLs learned from status answers and redirects. */
    public Set<URI> knownNodes() {
        return view.knownNodes();
    }

    /** The id sent as {@code Baton-Client-Id} with every write. */
    public String clientId() {
        return clientId;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public Duration deadline() {
        return deadline;
    }

    /** Releases the client's threads. Idempotent; later calls throw {@link IllegalStateException}. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            executor.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "BatonClient[seeds=" + seeds + ", clientId=" + clientId + "]";
    }

    private WriteResult write(String operation, String method, String path, String key, byte[] body, long expected) {
        long seq = requestSeq.incrementAndGet();
        return call(new Call<WriteResult>(operation, method, path, body, true, key, expected, seq,
                answer -> Json.read(answer.body(), WriteResult.class), null));
    }

    private <T> T call(Call<T> call) {
        checkOpen();
        return caller.execute(call);
    }

    private CompletableFuture<NodeStatusResult> statusAsync(URI node) {
        HttpRequest request = HttpRequest.newBuilder(NodeUrls.resolve(node, Paths.STATUS))
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .GET()
                .build();
        return transport.send(request)
                .completeOnTimeout(Outcome.Failed.of(new java.net.http.HttpTimeoutException("no answer")),
                        requestTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
                .thenApply(outcome -> toStatusResult(node, outcome));
    }

    private NodeStatusResult toStatusResult(URI node, Outcome outcome) {
        if (outcome instanceof Outcome.Failed failed) {
            return NodeStatusResult.failed(node, new NodeUnreachableException(node, failed.reason(), failed.cause()));
        }
        Outcome.Answer answer = (Outcome.Answer) outcome;
        if (answer.status() != 200) {
            return NodeStatusResult.failed(node, new BatonException("status of " + node + ": answered "
                    + RetryPolicy.describe(answer.status(), Json.errorBody(answer.body()))));
        }
        try {
            NodeStatus status = Json.read(answer.body(), NodeStatus.class);
            view.learn(status);
            return NodeStatusResult.ok(node, status);
        } catch (IOException e) {
            return NodeStatusResult.failed(node, new BatonException("status of " + node + ": unreadable answer: "
                    + e.getMessage(), e));
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("BatonClient is closed");
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Builds a {@link BatonClient}. Not thread-safe; {@link #build()} validates and may be called
     * more than once.
     */
    public static final class Builder {
        private List<URI> seeds;
        private Duration requestTimeout = Duration.ofSeconds(2);
        private Duration deadline = Duration.ofSeconds(10);
        private String clientId = UUID.randomUUID().toString();

        private Builder() {}

        /**
         * Node base URLs, e.g. {@code http://127.0.0.11:8080}: some or all nodes of the cluster.
         *
         * @throws IllegalArgumentException if the list is empty or a URL is not an absolute
         *     http(s) URL without query or fragment (the message names the bad URL)
         */
        public Builder seeds(List<URI> seeds) {
            this.seeds = NodeUrls.normalizeAll(seeds);
            return this;
        }

        /** As {@link #seeds(List)}, from {@code "http://a:8080,http://b:8080"} (spaces allowed). */
        public Builder seeds(String commaSeparated) {
            this.seeds = NodeUrls.parseList(commaSeparated);
            return this;
        }

        /** Timeout of one HTTP attempt (connect and answer). Default 2 s. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive(requestTimeout, "requestTimeout");
            return this;
        }

        /** Overall time of one call, retries included. Default 10 s. */
        public Builder deadline(Duration deadline) {
            this.deadline = positive(deadline, "deadline");
            return this;
        }

        /** Identifies this client's writes for de-duplication. Default: a random UUID. */
        public Builder clientId(String clientId) {
            Objects.requireNonNull(clientId, "clientId");
            if (clientId.isBlank() || !clientId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("clientId must be non-empty printable ASCII without spaces, got '"
                        + clientId + "'");
            }
            this.clientId = clientId;
            return this;
        }

        /** @throws IllegalStateException if no seeds were given */
        public BatonClient build() {
            checkSeeds();
            return new BatonClient(this);
        }

        void checkSeeds() {
            if (seeds == null) {
                throw new IllegalStateException("seeds are required, e.g. seeds(\"http://127.0.0.11:8080\")");
            }
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }
    }
}
