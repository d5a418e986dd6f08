package dev.baton.node.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything a node needs to start, validated on construction: an invalid value throws a
 * {@link ConfigException} naming the option. Defaults are in {@link Defaults}.
 *
 * @param nodeId this node's id; must be one of {@code members}
 * @param members every voting member (including this node)
 * @param dataDir where the Raft log and snapshots live (created if missing)
 * @param detection failure-detection timings of the cluster transport
 * @param lease leader lease timings (must fit inside the detection time)
 * @param requestTimeoutMs how long an HTTP request waits for its command to commit before
 *     answering 503 timeout (the outcome is then unknown to the caller)
 * @param maxValueBytes largest value accepted by PUT (413 above)
 * @param snapshotLogBytes log size in bytes after which a snapshot is taken and the log truncated
 * @param fsync whether every log append is forced to disk before it is acknowledged
 * @param repairLog whether start-up discards a damaged log suffix or snapshot (the leader sends it
 *     again) instead of refusing to start; default false
 * @param ops failover mode, serving mode, hooks and leadership preferences
 * @param timings every other timing of the node, with documented defaults
 * @param sessions timeout and cap of the client sessions this node opens as the ACTIVE
 * @param peerTls mutual TLS between peers, with each peer's certificate bound to its member id and
 *     host; null = plain TCP (the default)
 * @param http timeouts and connection limits of the HTTP front; null = {@link HttpLimits#DEFAULTS}
 * @param tokenFile bearer tokens with roles ({@code --token-file}, see {@code
 *     dev.baton.node.security.TokenFile}); null = no authentication (the default)
 * @param httpTls HTTPS on the HTTP port; null = plain HTTP (the default)
 * @param joining members that are not Raft voters when the node starts from an empty data dir:
 *     a node started with {@code --join} lists itself here while it is joining (a learner until it
 *     has caught up); empty otherwise. A data dir's own log and snapshot override it.
 */
public record NodeConfig(
        String nodeId,
        List<MemberSpec> members,
        Path dataDir,
        Detection detection,
        LeaseTiming lease,
        long requestTimeoutMs,
        int maxValueBytes,
        long snapshotLogBytes,
        boolean fsync,
        boolean repairLog,
        Operations ops,
        Timings timings,
        SessionLimits sessions,
        PeerTls peerTls,
        HttpLimits http,
        Path tokenFile,
        HttpTls httpTls,
        Set<String> joining) {

    /** Keys longer than this (in UTF-8 bytes) are rejected with 400. */
    public static final int MAX_KEY_BYTES = 512;

    /** Hard ceiling for {@code --max-value-bytes}: a value travels in one Raft log entry. */
    public static final int MAX_VALUE_BYTES_CEILING = 16 * 1024 * 1024;

    /** Documented defaults. */
    public static final class Defaults {
        public static final long REQUEST_TIMEOUT_MS = 5_000;
        public static final int MAX_VALUE_BYTES = 1024 * 1024;
        public static final long SNAPSHOT_LOG_BYTES = 8L * 1024 * 1024;
        public static final boolean FSYNC = true;

        private Defaults() {}
    }

    /** With the default session limits, without {@code --repair-log}. */
    public NodeConfig(String nodeId, List<MemberSpec> members, Path dataDir, Detection detection, LeaseTiming lease,
            long requestTimeoutMs, int maxValueBytes, long snapshotLogBytes, boolean fsync, Operations ops, Timings timings) {
        this(nodeId, members, dataDir, detection, lease, requestTimeoutMs, maxValueBytes, snapshotLogBytes, fsync, false, ops,
                timings, SessionLimits.DEFAULTS);
    }

    /** Plain TCP between peers. */
    public NodeConfig(String nodeId, List<MemberSpec> members, Path dataDir, Detection detection, LeaseTiming lease,
            long requestTimeoutMs, int maxValueBytes, long snapshotLogBytes, boolean fsync, boolean repairLog, Operations ops,
            Timings timings, SessionLimits sessions) {
        this(nodeId, members, dataDir, detection, lease, requestTimeoutMs, maxValueBytes, snapshotLogBytes, fsync, repairLog, ops,
                timings, sessions, null);
    }

    /** The default HTTP limits, plain HTTP, without bearer tokens. */
    public NodeConfig(String nodeId, List<MemberSpec> members, Path dataDir, Detection detection, LeaseTiming lease,
            long requestTimeoutMs, int maxValueBytes, long snapshotLogBytes, boolean fsync, boolean repairLog, Operations ops,
            Timings timings, SessionLimits sessions, PeerTls peerTls) {
        this(nodeId, members, dataDir, detection, lease, requestTimeoutMs, maxValueBytes, snapshotLogBytes, fsync, repairLog, ops,
                timings, sessions, peerTls, null, null, null);
    }

    /** Every member a voter from the start (a cluster started with {@code --members}). */
    public NodeConfig(String nodeId, List<MemberSpec> members, Path dataDir, Detection detection, LeaseTiming lease,
            long requestTimeoutMs, int maxValueBytes, long snapshotLogBytes, boolean fsync, boolean repairLog, Operations ops,
            Timings timings, SessionLimits sessions, PeerTls peerTls, HttpLimits http, Path tokenFile, HttpTls httpTls) {
        this(nodeId, members, dataDir, detection, lease, requestTimeoutMs, maxValueBytes, snapshotLogBytes, fsync, repairLog, ops,
                timings, sessions, peerTls, http, tokenFile, httpTls, Set.of());
    }

    public NodeConfig {
        members = List.copyOf(members);
        joining = joining == null ? Set.of() : Set.copyOf(joining);
        if (members.isEmpty()) {
            throw new ConfigException("--members", "at least one member is required");
        }
        Set<String> ids = new HashSet<>();
        Set<String> raftAddresses = new HashSet<>();
        Set<String> httpAddresses = new HashSet<>();
        for (MemberSpec m : members) {
            if (!ids.add(m.id())) {
                throw new ConfigException("--members", "duplicate member id '" + m.id() + "'");
            }
            if (!raftAddresses.add(m.raftAddress())) {
                throw new ConfigException("--members", "raft address " + m.raftAddress() + " is used by two members");
            }
            if (!httpAddresses.add(m.host() + ":" + m.httpPort())) {
                throw new ConfigException(
                        "--members", "http address " + m.host() + ":" + m.httpPort() + " is used by two members");
            }
        }
        if (nodeId == null || nodeId.isBlank()) {
            throw new ConfigException("--id", "is required");
        }
        if (!ids.contains(nodeId)) {
            throw new ConfigException("--id", "'" + nodeId + "' is not one of the members " + memberIds(members));
        }
        if (!ids.containsAll(joining) || joining.containsAll(ids)) {
            throw new ConfigException("--join", "joining members " + joining + " must be some, not all, of " + memberIds(members));
        }
        if (dataDir == null) {
            throw new ConfigException("--data-dir", "is required");
        }
        if (detection == null) {
            throw new ConfigException("detection", "is required");
        }
        if (lease == null) {
            throw new ConfigException("lease", "is required");
        }
        lease.checkAgainst(detection);
        if (requestTimeoutMs < 100 || requestTimeoutMs > 600_000) {
            throw new ConfigException("--request-timeout-ms", requestTimeoutMs + " is outside 100-600000");
        }
        if (maxValueBytes < 1 || maxValueBytes > MAX_VALUE_BYTES_CEILING) {
            throw new ConfigException(
                    "--max-value-bytes", maxValueBytes + " is outside 1-" + MAX_VALUE_BYTES_CEILING);
        }
        if (ops == null) {
            ops = Operations.DEFAULTS;
        }
        if (ops.preferredLeader() != null && !ids.contains(ops.preferredLeader())) {
            throw new ConfigException("--preferred-leader", "'" + ops.preferredLeader() + "' is not one of the members " + memberIds(members));
        }
        if (timings == null) {
            timings = Timings.DEFAULTS;
        }
        timings.checkAgainst(lease);
        if (sessions == null) {
            sessions = SessionLimits.DEFAULTS;
        }
        if (http == null) {
            http = HttpLimits.DEFAULTS;
        }
        if (snapshotLogBytes < 64 * 1024) {
            throw new ConfigException("--snapshot-log-bytes", snapshotLogBytes + " is below 65536");
        }
    }

    private static List<String> memberIds(List<MemberSpec> members) {
        List<String> ids = new ArrayList<>();
        for (MemberSpec m : members) {
            ids.add(m.id());
        }
        return ids;
    }

    /** A config with defaults for everything but the essentials; see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link NodeConfig}; every setting not given keeps its documented default. */
    public static final class Builder {
        private String nodeId;
        private List<MemberSpec> members = List.of();
        private Path dataDir;
        private Detection detection = Detection.DEFAULTS;
        private LeaseTiming lease = LeaseTiming.DEFAULTS;
        private long requestTimeoutMs = Defaults.REQUEST_TIMEOUT_MS;
        private int maxValueBytes = Defaults.MAX_VALUE_BYTES;
        private long snapshotLogBytes = Defaults.SNAPSHOT_LOG_BYTES;
        private boolean fsync = Defaults.FSYNC;
        private boolean repairLog;
        private Operations ops = Operations.DEFAULTS;
        private Timings timings = Timings.DEFAULTS;
        private SessionLimits sessions = SessionLimits.DEFAULTS;
        private PeerTls peerTls;
        private HttpLimits http = HttpLimits.DEFAULTS;
        private Path tokenFile;
        private HttpTls httpTls;
        private Set<String> joining = Set.of();

        public Builder nodeId(String id) { this.nodeId = id; return this; }
        /** Members as {@code ID=HOST:RAFT_PORT:HTTP_PORT}, comma-separated. */
        public Builder members(String spec) {
            List<MemberSpec> list = new ArrayList<>();
            for (String m : spec.split(",")) {
                if (!m.isBlank()) {
                    list.add(MemberSpec.parse(m));
                }
            }
            this.members = list;
            return this;
        }
        public Builder members(List<MemberSpec> members) { this.members = members; return this; }
        public Builder dataDir(Path dir) { this.dataDir = dir; return this; }
        public Builder detection(Detection d) { this.detection = d; return this; }
        public Builder lease(LeaseTiming l) { this.lease = l; return this; }
        public Builder requestTimeoutMs(long ms) { this.requestTimeoutMs = ms; return this; }
        public Builder maxValueBytes(int n) { this.maxValueBytes = n; return this; }
        public Builder snapshotLogBytes(long n) { this.snapshotLogBytes = n; return this; }
        public Builder fsync(boolean on) { this.fsync = on; return this; }
        public Builder repairLog(boolean on) { this.repairLog = on; return this; }
        public Builder operations(Operations ops) { this.ops = ops; return this; }
        public Builder timings(Timings timings) { this.timings = timings; return this; }
        public Builder sessions(SessionLimits sessions) { this.sessions = sessions; return this; }
        public Builder peerTls(PeerTls tls) { this.peerTls = tls; return this; }
        public Builder http(HttpLimits limits) { this.http = limits; return this; }
        public Builder tokenFile(Path file) { this.tokenFile = file; return this; }
        public Builder httpTls(HttpTls tls) { this.httpTls = tls; return this; }
        public Builder joining(Set<String> ids) { this.joining = ids; return this; }

        public NodeConfig build() {
            return new NodeConfig(nodeId, members, dataDir, detection, lease, requestTimeoutMs, maxValueBytes,
                    snapshotLogBytes, fsync, repairLog, ops, timings, sessions, peerTls, http, tokenFile, httpTls, joining);
        }
    }

    /** {@code https} with {@link #httpTls}, else {@code http}: every member serves the same scheme. */
    public String httpScheme() {
        return httpTls == null ? "http" : "https";
    }

    /** The base URL of member {@code m}'s HTTP API in this cluster's scheme. */
    public String httpUrl(MemberSpec m) {
        return m.httpUrl(httpScheme());
    }

    public MemberSpec self() {
        return member(nodeId);
    }

    /** The member with this id, or null. */
    public MemberSpec member(String id) {
        for (MemberSpec m : members) {
            if (m.id().equals(id)) {
                return m;
            }
        }
        return null;
    }

    public List<String> memberIds() {
        return memberIds(members);
    }

    /** The members that vote when this node starts from an empty data dir: all but {@link #joining}. */
    public List<String> initialVoters() {
        return memberIds().stream().filter(id -> !joining.contains(id)).toList();
    }
}
