package dev.baton.client;

import dev.baton.client.internal.Backoff;
import dev.baton.client.internal.BearerToken;
import dev.baton.client.internal.Call;
import dev.baton.client.internal.Caller;
import dev.baton.client.internal.ClusterView;
import dev.baton.client.internal.Discovery;
import dev.baton.client.internal.ErrorMapping;
import dev.baton.client.internal.ApacheTransport;
import dev.baton.client.internal.ClientTls;
import dev.baton.client.internal.LeaderWatcher;
import dev.baton.client.internal.Json;
import dev.baton.client.internal.LeaderChanges;
import dev.baton.client.internal.NodeUrls;
import dev.baton.client.internal.Outcome;
import dev.baton.client.internal.Paths;
import dev.baton.client.internal.RetryPolicy;
import dev.baton.client.internal.SessionWrites;
import dev.baton.client.internal.Time;
import dev.baton.client.internal.Transport;
import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.LeaderInfo;
import dev.baton.client.wire.LeadershipHistory;
import dev.baton.client.wire.MaintenanceInfo;
import dev.baton.client.wire.MemberList;
import dev.baton.client.wire.PercentEncoding;
import dev.baton.client.wire.PromoteResult;
import dev.baton.client.wire.TransferResult;
import dev.baton.client.wire.NodeStatus;
import dev.baton.client.wire.WriteResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

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
 * <p><b>Failover.</b> The client follows a new active as soon as any node knows it, through a
 * long-poll {@code GET /v1/leader?waitForTermAbove=T} to every node (one shared round per term for
 * all calls of the client). An attempt unanswered after 100 ms is abandoned, and the call sent to
 * the new active, once a node names an active of a higher term elsewhere; it does not wait for
 * the request timeout of a hung or cut-off old active. A backoff ends, and the call goes straight
 * to the new active, as soon as one of a term above any the call has seen is known.
 *
 * <p><b>Writes are applied exactly once.</b> Before its first write the client opens a session
 * ({@code POST /v1/sessions}, committed through the log; the cluster issues the id, Raft
 * dissertation §6.3). Each write carries the session id as {@code Baton-Client-Id} and an increasing
 * {@code Baton-Request-Seq}; all attempts of one write reuse its number, and the cluster applies a
 * (session, number) at most once, answering a retry with the first answer. So a write retried
 * across a failover is applied once, and a compare-and-set conflict on a retry is a real conflict.
 * {@code Baton-Acked-Below} (the lowest number still in flight) lets the node forget answers the
 * client no longer needs. A write whose every attempt failed without an answer (or was abandoned
 * for a new active) ends in {@link OutcomeUnknownException}: it was applied at most once, maybe not
 * at all.
 *
 * <p><b>Sessions expire</b> on the cluster when unused for its {@code --session-timeout-ms} (default
 * 1 hour) or when too many are open; a write of an expired session is refused there, never applied.
 * The client then opens a new session (numbers restart at 1) and: if no earlier attempt of that
 * write may have been applied, sends it again in the new session; else throws {@link
 * OutcomeUnknownException}, as nothing can tell any more whether the earlier attempt was applied.
 *
 * <p><b>Reads</b> are linearizable by default (served by the active through the log); {@link
 * Consistency#STALE} reads any node's replica and reports how far behind it may be.
 *
 * <p><b>Watch.</b> {@link #watchLeader} streams leadership changes in term order, each term once.
 *
 * <p>Immutable configuration, thread-safe; see the package documentation for nulls and threads.
 */
public final class BatonClient implements AutoCloseable {

    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** Nodes send a keepalive every 10 s; a stream silent this long is dropped for another node. */
    private static final Duration WATCH_IDLE_TIMEOUT = Duration.ofSeconds(25);

    private final List<URI> seeds;
    /** Entries per page of {@link #list(String)}: the node's default listing limit. */
    public static final int LIST_PAGE = 1000;

    private final Duration requestTimeout;
    private final Duration deadline;
    private final String clientId;
    private final ExecutorService executor;
    private final Transport transport;
    private final ClusterView view;
    private final LeaderChanges leaderChanges;
    private final Caller caller;
    private final SessionWrites writes;
    /** For the leader watch's event streams only; calls go through {@link #transport}. */
    private final HttpClient http;
    /** The transport this client made and so closes; null for one a test passed in. */
    private final ApacheTransport ownTransport;
    /** Null: requests carry no Authorization header. */
    private final BearerToken token;
    private final Set<LeaderWatch> watches = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private BatonClient(Builder b) {
        this(b, null, Time.SYSTEM);
    }

    /** For tests: {@code transport} null means HTTP over {@link ApacheTransport}. */
    BatonClient(Builder b, Transport transport, Time time) {
        this.seeds = b.seeds;
        this.requestTimeout = b.requestTimeout;
        this.deadline = b.deadline;
        this.clientId = b.clientId;
        this.executor = Executors.newCachedThreadPool(daemonThreads("baton-client-" + INSTANCES.incrementAndGet()));
        SSLContext tls = b.tls();
        HttpClient.Builder watchHttp = HttpClient.newBuilder();
        if (tls != null) {
            watchHttp.sslContext(tls);
        }
        this.http = watchHttp
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(requestTimeout)
                .executor(executor)
                .build();
        this.ownTransport = transport == null ? new ApacheTransport(requestTimeout, tls) : null;
        this.token = b.token;
        Transport base = transport != null ? transport : ownTransport;
        this.transport = token == null ? base : token.wrap(base);
        this.view = new ClusterView(seeds);
        Discovery discovery = new Discovery(this.transport, view, time);
        // a long-poll need not outlast a call
        Duration poll = deadline.compareTo(LeaderChanges.DEFAULT_POLL) < 0 ? deadline : LeaderChanges.DEFAULT_POLL;
        poll = poll.toMillis() < 1 ? Duration.ofMillis(1) : poll;
        this.leaderChanges = new LeaderChanges(this.transport, view, poll);
        this.caller = new Caller(this.transport, view, discovery, Backoff.DEFAULT, requestTimeout, deadline, time,
                leaderChanges);
        this.writes = new SessionWrites(caller, clientId);
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
        return call(new Call<Optional<KvEntry>>("get", "GET", path, null, false, key, -1, null,
                answer -> Optional.of(Json.read(answer.body(), KvEntry.class)), Optional::empty));
    }

    /**
     * The key's entry with where and how fresh it was read. {@link Consistency#LINEARIZABLE} is
     * {@link #get(String)} plus the serving node; {@link Consistency#STALE} asks any node (see there).
     *
     * @throws NoLeaderException for STALE: no node answered within the deadline
     */
    public ReadResult<Optional<KvEntry>> get(String key, Consistency consistency) {
        String path = Paths.kv(key);
        return read(consistency, new Call<Optional<KvEntry>>("get", "GET", path, null, false, key, -1, null,
                answer -> Optional.of(Json.read(answer.body(), KvEntry.class)), Optional::empty));
    }

    /**
     * As {@link #list(String)}, with where and how fresh it was read (of its last page); see {@link
     * #get(String, Consistency)}.
     */
    public ReadResult<List<KvEntry>> list(String prefix, Consistency consistency) {
        List<KvEntry> all = new ArrayList<>();
        String after = "";
        while (true) {
            ReadResult<KvPage> page = read(consistency, pageCall(prefix, after, LIST_PAGE));
            all.addAll(page.value().entries());
            if (page.value().complete()) {
                return new ReadResult<>(List.copyOf(all), page.node(), page.appliedIndex(), page.stalenessMs());
            }
            after = page.value().nextAfter().get();
        }
    }

    /**
     * Up to {@code limit} entries whose key starts with {@code prefix} and sorts after {@code after}
     * ("" for the first page), sorted by key; {@link KvPage#nextAfter()} names the {@code after} of
     * the next page when the node cut the listing. Linearizable (each page on its own).
     */
    public KvPage listPage(String prefix, String after, int limit) {
        return call(pageCall(prefix, after, limit));
    }

    private static Call<KvPage> pageCall(String prefix, String after, int limit) {
        return new Call<KvPage>("list", "GET", Paths.listPage(prefix, after, limit), null, false, prefix, -1, null,
                Json::readPage, null);
    }

    /**
     * Starts watching leadership: {@code listener} gets the current state first, then every change,
     * on one daemon thread per watch. Guarantees: leader events come in strictly increasing term
     * order, the leader of each term at most once, also across reconnects and nodes; a "no leader"
     * event (the active of its term is gone) comes at most once between two leader events. Terms
     * that began and ended while no node could be reached are skipped: the watch reports what the
     * nodes know when it reconnects. The watch reconnects to any known node when a stream ends,
     * breaks or stays silent for 25 s, with the client's backoff, until closed (or the client is).
     */
    public LeaderWatch watchLeader(LeaderListener listener) {
        Objects.requireNonNull(listener, "listener");
        checkOpen();
        LeaderWatcher watcher = new LeaderWatcher(http, view, Backoff.DEFAULT, requestTimeout, WATCH_IDLE_TIMEOUT,
                listener, token);
        LeaderWatch[] self = new LeaderWatch[1];
        LeaderWatch watch = new LeaderWatch(watcher, () -> watches.remove(self[0]));
        self[0] = watch;
        watches.add(watch);
        watcher.start();
        return watch;
    }

    /** The key's exact value bytes, or empty if the key does not exist. Linearizable. */
    public Optional<byte[]> getBytes(String key) {
        String path = Paths.kv(key) + "?raw=true";
        return call(new Call<Optional<byte[]>>("get", "GET", path, null, false, key, -1, null,
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
     * Every entry whose key starts with {@code prefix} ("" for all), sorted by key, read page by
     * page ({@value #LIST_PAGE} entries each, see {@link #listPage}). Each page is linearizable; the
     * whole is not one snapshot: a key written between two pages may be missing or newer.
     */
    public List<KvEntry> list(String prefix) {
        List<KvEntry> all = new ArrayList<>();
        KvPage page = listPage(prefix, "", LIST_PAGE);
        all.addAll(page.entries());
        while (!page.complete()) {
            page = listPage(prefix, page.nextAfter().get(), LIST_PAGE);
            all.addAll(page.entries());
        }
        return List.copyOf(all);
    }

    /**
     * Approves the leader that waits in PENDING_APPROVAL (manual failover or maintenance mode) so
     * it becomes ACTIVE; commits the approval for its term. Harmless if it is ACTIVE already.
     */
    public PromoteResult promote() {
        return call(new Call<PromoteResult>("promote", "POST", "/v1/admin/promote", new byte[0], false, "", -1, null,
                answer -> Json.read(answer.body(), PromoteResult.class), null));
    }

    /**
     * Planned switchover: the ACTIVE hands leadership to {@code target} (null: the preferred or most
     * caught-up standby) and answers once the target leads. Not retried: a failed switchover leaves
     * the cluster to elect a leader by itself.
     */
    public TransferResult transfer(String target) {
        String path = "/v1/admin/transfer" + (target == null ? "" : "?to=" + java.net.URLEncoder.encode(target, StandardCharsets.UTF_8));
        return call(new Call<TransferResult>("transfer", "POST", path, new byte[0], false, "", -1, null,
                answer -> Json.read(answer.body(), TransferResult.class), null, true));
    }

    /**
     * The replicated member table, from the ACTIVE (which knows each member's lag), else from any
     * node that answers within the deadline.
     */
    public MemberList members() {
        try {
            return call(new Call<MemberList>("members", "GET", Paths.MEMBERS, null, false, "", -1, null,
                    answer -> Json.read(answer.body(), MemberList.class), null));
        } catch (NoLeaderException e) {
            return caller.executeOnAnyNode(new Call<MemberList>("members", "GET", Paths.MEMBERS, null, false, "", -1, null,
                    answer -> Json.read(answer.body(), MemberList.class), null)).value();
        }
    }

    /**
     * Adds a member, {@code ID=HOST:RAFT_PORT:HTTP_PORT}, as joining: it becomes a voter once it has
     * been started ({@code --join}) and has caught up. Answers once the change is committed.
     */
    public MemberList addMember(String spec) {
        String path = Paths.MEMBERS + "?spec=" + PercentEncoding.encode(Objects.requireNonNull(spec, "spec"), false);
        return call(new Call<MemberList>("members add", "POST", path, new byte[0], false, "", -1, null,
                answer -> Json.read(answer.body(), MemberList.class), null));
    }

    /**
     * Removes member {@code id} from the voters and the table; removing the ACTIVE makes it hand
     * over first (the call then completes on the new ACTIVE). Answers once committed.
     */
    public MemberList removeMember(String id) {
        String path = Paths.MEMBERS + "/" + PercentEncoding.encode(Objects.requireNonNull(id, "id"), false);
        return call(new Call<MemberList>("members remove", "DELETE", path, null, false, "", -1, null,
                answer -> Json.read(answer.body(), MemberList.class), null, true));
    }

    /**
     * A backup of the cluster's state, taken by the ACTIVE after a barrier through the log (every
     * write acknowledged before this call is in it): the bytes of a backup file as {@code baton
     * snapshot save} stores them (header, state, CRC32C). Needs the admin role when tokens are on.
     */
    public byte[] snapshot() {
        return call(new Call<byte[]>("snapshot", "GET", "/v1/admin/snapshot", null, false, "", -1, null,
                answer -> answer.body(), null));
    }

    /**
     * Turns maintenance mode on (automatic promotion suspended cluster-wide) or off.
     *
     * @param duration when on, how long until it ends by itself; null or zero for no expiry
     */
    public MaintenanceInfo maintenance(boolean enabled, Duration duration) {
        String path = "/v1/admin/maintenance?enabled=" + enabled
                + (enabled && duration != null && !duration.isZero() ? "&for=" + duration.toMillis() : "");
        return call(new Call<MaintenanceInfo>("maintenance", "PUT", path, new byte[0], false, "", -1, null,
                answer -> Json.read(answer.body(), MaintenanceInfo.class), null));
    }

    /**
     * The newest {@code limit} (1..1000) leadership terms, oldest first, from any node's replica
     * (its {@code applied_index} says how far it had applied), retrying other nodes until the deadline.
     *
     * @throws IllegalArgumentException if {@code limit} is out of range
     * @throws NoLeaderException if no node answered within the deadline
     */
    public LeadershipHistory history(int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1..1000, was " + limit);
        }
        checkOpen();
        Call<LeadershipHistory> call = new Call<>("history", "GET", Paths.HISTORY + "?limit=" + limit, null, false, "", -1,
                null, answer -> Json.read(answer.body(), LeadershipHistory.class), null);
        return caller.executeOnAnyNode(call).value();
    }

    /** The newest 100 leadership terms; see {@link #history(int)}. */
    public LeadershipHistory history() {
        return history(100);
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

    /** This client's name, sent when it opens a session (for the nodes' logs); writes carry the session id instead. */
    public String clientId() {
        return clientId;
    }

    /** The id of the session the cluster issued to this client, if one is open (sent as {@code Baton-Client-Id}). */
    public Optional<String> sessionId() {
        return writes.sessionId();
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
            List.copyOf(watches).forEach(LeaderWatch::close);
            leaderChanges.close();
            if (ownTransport != null) {
                ownTransport.close();
            }
            executor.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "BatonClient[seeds=" + seeds + ", clientId=" + clientId + "]";
    }

    /** One logical write, in this client's session (see {@link SessionWrites}). */
    private WriteResult write(String operation, String method, String path, String key, byte[] body, long expected) {
        checkOpen();
        return writes.write(new SessionWrites.Write<WriteResult>(operation, method, path, key, body, expected,
                answer -> Json.read(answer.body(), WriteResult.class)));
    }

    private <T> ReadResult<T> read(Consistency consistency, Call<T> call) {
        Objects.requireNonNull(consistency, "consistency");
        checkOpen();
        Caller.Served<T> served = consistency == Consistency.STALE
                ? caller.executeOnAnyNode(call.withQueryParameter("stale=true"))
                : caller.executeServed(call);
        Outcome.Answer answer = served.answer();
        long appliedIndex = longHeader(answer, Call.APPLIED_INDEX_HEADER, -1);
        long stalenessMs = consistency == Consistency.STALE ? longHeader(answer, Call.STALENESS_MS_HEADER, -1) : 0;
        return new ReadResult<>(served.value(), served.node(), appliedIndex, stalenessMs);
    }

    private static long longHeader(Outcome.Answer answer, String name, long absent) {
        try {
            return answer.header(name).map(v -> Long.parseLong(v.trim())).orElse(absent);
        } catch (NumberFormatException e) {
            return absent;
        }
    }

    private <T> T call(Call<T> call) {
        checkOpen();
        return caller.execute(call);
    }

    private CompletableFuture<NodeStatusResult> statusAsync(URI node) {
        HttpRequest request = NodeUrls.getJson(node, Paths.STATUS, requestTimeout);
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
        if (answer.status() == 401 || answer.status() == 403) {
            return NodeStatusResult.failed(node, ErrorMapping.accessDenied(answer, node));
        }
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
        private BearerToken token;
        private SSLContext sslContext;
        private Path trustedCa;
        private Path clientKeystore;
        private char[] clientKeystorePassword;

        private Builder() {}

        /**
         * A bearer token (from {@code baton token create}) sent as {@code Authorization: Bearer
         * <token>} with every request, for nodes started with {@code --token-file}. A refused token
         * fails a call at once with {@link AccessDeniedException}. Default: none.
         *
         * @throws IllegalArgumentException if it is empty or not printable ASCII without spaces
         */
        public Builder token(String token) {
            this.token = new BearerToken(token);
            return this;
        }

        /**
         * For https seeds: trust the CA certificate(s) in this PEM (or DER) file, the CA that issued
         * the nodes' HTTPS certificates, instead of the JDK's default trust. Replaces {@link
         * #trust(SSLContext)}.
         */
        public Builder trust(Path caPem) {
            this.trustedCa = Objects.requireNonNull(caPem, "caPem");
            this.sslContext = null;
            return this;
        }

        /**
         * For https seeds: use this TLS context as it is (trust and client certificate). Replaces
         * {@link #trust(Path)} and {@link #clientCertificate}.
         */
        public Builder trust(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            this.trustedCa = null;
            this.clientKeystore = null;
            return this;
        }

        /**
         * For nodes that require client certificates ({@code --http-tls-client-ca}): present the key
         * and certificate in this PKCS#12 keystore.
         */
        public Builder clientCertificate(Path pkcs12, char[] password) {
            this.clientKeystore = Objects.requireNonNull(pkcs12, "pkcs12");
            this.clientKeystorePassword = Objects.requireNonNull(password, "password").clone();
            this.sslContext = null;
            return this;
        }

        /** The TLS context of https URLs; null = the JDK's default. */
        SSLContext tls() {
            if (sslContext != null) {
                return sslContext;
            }
            if (trustedCa == null && clientKeystore == null) {
                return null;
            }
            return ClientTls.context(trustedCa, clientKeystore, clientKeystorePassword);
        }

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

        /**
         * A name for this client, sent when it opens a session (the nodes log it). It does not
         * identify writes: the cluster issues the session id. Default: a random UUID.
         */
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
