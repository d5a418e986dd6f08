package dev.baton.node.cli;

import dev.baton.node.BatonNode;
import dev.baton.node.CorruptStorageException;
import dev.baton.node.config.ConfigException;
import dev.baton.node.raft.ForceNewCluster;
import dev.baton.node.config.Detection;
import dev.baton.node.config.HttpLimits;
import dev.baton.node.config.LeaseTiming;
import dev.baton.node.config.MemberSpec;
import dev.baton.node.config.NodeConfig;
import dev.baton.node.config.Operations;
import dev.baton.node.config.HttpTls;
import dev.baton.node.config.PeerTls;
import dev.baton.node.config.SessionLimits;
import dev.baton.node.config.Timings;
import dev.baton.node.membership.JoinSeeds;
import dev.baton.node.raft.ClusterId;
import java.nio.file.Files;
import dev.baton.node.tls.HttpsCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code baton node}: runs one peer until SIGTERM/SIGINT. */
@Command(
        name = "node",
        mixinStandardHelpOptions = true,
        description = "Run a Baton peer: joins the cluster, replicates the state, serves the HTTP API.",
        footer = {
            "",
            "Member spec: ID=HOST:RAFT_PORT:HTTP_PORT, e.g.",
            "  --members n1=127.0.0.11:7800:8080,n2=127.0.0.12:7800:8080,n3=127.0.0.13:7800:8080",
            "The failure-detection socket uses RAFT_PORT+100.",
            "Exit codes: 2 invalid configuration, 3 damaged log or snapshot (see --repair-log), 1 other",
            "start-up failure; stopped by SIGTERM/SIGINT",
            "(an ACTIVE node hands over first) the JVM exits with 143/130 as for any signal."
        })
public final class NodeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--id", required = true, description = "This node's id (one of --members).")
    String id;

    @Option(names = "--members", split = ",", description = "Every member: ID=HOST:RAFT_PORT:HTTP_PORT, comma-separated (or --join).")
    List<String> members;

    @Option(names = "--join", split = ",", paramLabel = "URL", description = "Instead of --members: HTTP URLs of running members; the member list (with this node, added first by 'baton members add') is read from the first that answers. A new member starts with an empty --data-dir and becomes a voter once it has caught up.")
    List<String> join;

    @Option(names = "--join-token-file", paramLabel = "FILE", description = "With --join, when the cluster has --token-file: a file whose first line is a token with the read role.")
    Path joinTokenFile;

    @Option(names = "--data-dir", required = true, description = "Directory of the Raft log and snapshots (created if missing).")
    Path dataDir;

    @Option(names = "--fd-timeout-ms", defaultValue = "600", description = "Suspect a peer after this long without traffic (default ${DEFAULT-VALUE}).")
    long fdTimeoutMs;

    @Option(names = "--fd-interval-ms", defaultValue = "100", description = "Heartbeat interval (default ${DEFAULT-VALUE}).")
    long fdIntervalMs;

    @Option(names = "--verify-suspect-ms", defaultValue = "150", description = "Time to verify a suspicion before removing the peer (default ${DEFAULT-VALUE}).")
    long verifySuspectMs;

    @Option(names = "--merge-min-ms", defaultValue = "500", description = "Partition-heal probe, minimum interval (default ${DEFAULT-VALUE}).")
    long mergeMinMs;

    @Option(names = "--merge-max-ms", defaultValue = "1000", description = "Partition-heal probe, maximum interval (default ${DEFAULT-VALUE}).")
    long mergeMaxMs;

    @Option(names = "--lease-ms", defaultValue = "400", description = "Leader lease: ACTIVE only while a majority acknowledged within this (default ${DEFAULT-VALUE}).")
    long leaseMs;

    @Option(names = "--lease-renew-ms", defaultValue = "100", description = "Lease renewal interval (default ${DEFAULT-VALUE}).")
    long leaseRenewMs;

    @Option(names = "--lease-grant-ms", description = "Follower promise; must outlast the lease (default: lease + max(50, lease/8) + 100).")
    Long leaseGrantMs;

    @Option(names = "--request-timeout-ms", defaultValue = "5000", description = "How long a request waits for commit before 503 (default ${DEFAULT-VALUE}).")
    long requestTimeoutMs;

    @Option(names = "--max-value-bytes", defaultValue = "1048576", description = "Largest value accepted (default ${DEFAULT-VALUE}).")
    int maxValueBytes;

    @Option(names = "--session-timeout-ms", defaultValue = "3600000", description = "A client session unused this long expires; its later writes are refused (default ${DEFAULT-VALUE}).")
    long sessionTimeoutMs;

    @Option(names = "--max-sessions", defaultValue = "10000", description = "Live client sessions at most; opening one more evicts the least recently used (default ${DEFAULT-VALUE}).")
    int maxSessions;

    @Option(names = "--snapshot-log-bytes", defaultValue = "8388608", description = "Snapshot and truncate the log past this size (default ${DEFAULT-VALUE}).")
    long snapshotLogBytes;

    @Option(names = "--fsync", defaultValue = "true", arity = "1", description = "Force each log append to disk before acknowledging (default ${DEFAULT-VALUE}).")
    boolean fsync;

    @Option(names = "--repair-log", description = "At start-up, discard a damaged log suffix (from the first bad entry on) or snapshot instead of refusing to start; the leader sends the discarded entries again. Only while a majority of the other nodes is healthy.")
    boolean repairLog;

    @Option(names = HttpLimits.HEADER_TIMEOUT_OPTION, defaultValue = "10000", description = "A request head must be complete this long after the connection opened or its first byte; else 408 and close (default ${DEFAULT-VALUE}).")
    long httpHeaderTimeoutMs;

    @Option(names = HttpLimits.BODY_TIMEOUT_OPTION, defaultValue = "30000", description = "A request body must be complete this long after its head; else 408 and close (default ${DEFAULT-VALUE}).")
    long httpBodyTimeoutMs;

    @Option(names = HttpLimits.IDLE_TIMEOUT_OPTION, defaultValue = "60000", description = "Close a kept-alive HTTP connection idle this long (default ${DEFAULT-VALUE}).")
    long httpIdleTimeoutMs;

    @Option(names = HttpLimits.MAX_CONNECTIONS_OPTION, defaultValue = "1024", description = "HTTP connections per node; more are answered 503, except /health/* (default ${DEFAULT-VALUE}).")
    int httpMaxConnections;

    @Option(names = HttpLimits.MAX_PER_CLIENT_OPTION, defaultValue = "256", description = "HTTP connections per client IP address; more are answered 429, except /health/* (default ${DEFAULT-VALUE}).")
    int httpMaxConnectionsPerClient;

    @Option(names = PeerTls.CA_OPTION, paramLabel = "FILE", description = "Peer TLS: the cluster CA's certificate(s), PEM. With --peer-tls-keystore and --peer-tls-password-file, peers talk mutual TLS and a peer is accepted only with a certificate from this CA naming a member id (SAN URI baton:member:ID, else CN=ID), from that member's host. Default: plain TCP.")
    Path peerTlsCa;

    @Option(names = PeerTls.KEYSTORE_OPTION, paramLabel = "FILE", description = "Peer TLS: PKCS#12 keystore with this node's private key and certificate, which must name --id.")
    Path peerTlsKeystore;

    @Option(names = PeerTls.PASSWORD_OPTION, paramLabel = "FILE", description = "Peer TLS: file whose first line is the keystore password.")
    Path peerTlsPasswordFile;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Bearer tokens with roles (read, write, admin), one 'NAME ROLE sha256:HEX' line each, as 'baton token create' prints them; every request but /health/* then needs 'Authorization: Bearer <token>'. Re-read on change and on SIGHUP. Default: no authentication.")
    Path tokenFile;

    @Option(names = HttpTls.CERT_OPTION, paramLabel = "FILE", description = "HTTPS: this node's certificate chain, PEM (with --http-tls-key). The HTTP port then speaks HTTPS only. Default: plain HTTP.")
    Path httpTlsCert;

    @Option(names = HttpTls.KEY_OPTION, paramLabel = "FILE", description = "HTTPS: the private key of --http-tls-cert, unencrypted PKCS#8 PEM.")
    Path httpTlsKey;

    @Option(names = HttpTls.KEYSTORE_OPTION, paramLabel = "FILE", description = "HTTPS: PKCS#12 keystore with this node's key and certificate chain (instead of --http-tls-cert/--http-tls-key).")
    Path httpTlsKeystore;

    @Option(names = HttpTls.PASSWORD_OPTION, paramLabel = "FILE", description = "HTTPS: file whose first line is the --http-tls-keystore password.")
    Path httpTlsPasswordFile;

    @Option(names = HttpTls.CLIENT_CA_OPTION, paramLabel = "FILE", description = "HTTPS: CA certificate(s), PEM; every client must present a certificate one of them issued. Default: no client certificates.")
    Path httpTlsClientCa;

    @Option(names = HttpTls.CA_OPTION, paramLabel = "FILE", description = "HTTPS: CA certificate(s), PEM, that issued the other nodes' HTTPS certificates (trusted when forwarding writes). Default: --peer-tls-ca, else the JDK's trust.")
    Path httpTlsCa;

    @Option(names = "--failover", defaultValue = "auto", description = "auto: a new leader becomes ACTIVE by itself; manual: it waits for 'baton promote' (default ${DEFAULT-VALUE}).")
    String failover;

    @Option(names = "--reads", defaultValue = "lease", description = "lease: the ACTIVE answers linearizable reads from its state while it holds its lease (no log round; assumes clocks drift less than the lease margin); log: every read passes through the Raft log (default ${DEFAULT-VALUE}).")
    String reads;

    @Option(names = "--mode", defaultValue = "active-passive", description = "active-passive: only the ACTIVE serves; active-active: every node serves reads, writes go to the ACTIVE (default ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--on-active", description = "Shell command run when this node becomes ACTIVE (env BATON_NODE_ID, BATON_ROLE, BATON_TERM, BATON_LEADER).")
    String onActive;

    @Option(names = "--on-standby", description = "Shell command run when this node becomes STANDBY.")
    String onStandby;

    @Option(names = "--on-fenced", description = "Shell command run when this node stops being ACTIVE (lease lost, stepping down, or its storage failed).")
    String onFenced;

    @Option(names = "--on-unhealthy", description = "Shell command run when this node becomes UNHEALTHY: it cannot persist (disk full, read-only, I/O errors); BATON_REASON says why.")
    String onUnhealthy;

    @Option(names = "--hook-timeout-ms", defaultValue = "10000", description = "A hook still running after this is killed (default ${DEFAULT-VALUE}).")
    long hookTimeoutMs;

    @Option(names = "--no-failover", description = "Replicate, but never become ACTIVE (hand over at once if elected).")
    boolean noFailover;

    @Option(names = "--preferred-leader", description = "Member to hand leadership to once it is caught up (no preemption otherwise).")
    String preferredLeader;

    @Option(names = ForceNewCluster.OPTION, description = "Disaster recovery, when a majority of the members is gone for good: "
            + "before joining, make this node's data a one-member cluster of its own (every entry of its log counts as committed, "
            + "new cluster id), then serve as ACTIVE alone. Pass --members with just this node (ID=HOST:RAFT_PORT:HTTP_PORT) and its "
            + "existing --data-dir. The old members can never rejoin: add them back with empty data dirs. Once only: later starts go "
            + "without it.")
    boolean forceNewCluster;

    @Override
    public Integer call() {
        NodeConfig config;
        try {
            config = toConfig();
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("baton node: invalid configuration: " + e.getMessage());
            return 2;
        }
        BatonNode node;
        try {
            if (forceNewCluster) {
                ForceNewCluster.rewrite(config);
            }
            node = BatonNode.start(config);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("baton node: invalid configuration: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            CorruptStorageException corrupt = CorruptStorageException.find(e);
            if (corrupt != null) {
                spec.commandLine().getErr().println("baton node: damaged storage: " + corrupt.getMessage());
                return 3;
            }
            ConfigException config2 = findConfig(e);
            if (config2 != null) {
                spec.commandLine().getErr().println("baton node: invalid configuration: " + config2.getMessage());
                return 2;
            }
            spec.commandLine().getErr().println("baton node: failed to start: " + e);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger exit = new java.util.concurrent.atomic.AtomicInteger();
        node.onRemoved(why -> {
            spec.commandLine().getErr().println("baton node: " + why);
            exit.set(ExitCodes.REMOVED);
            stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "baton-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return exit.get();
    }

    /** A ConfigException thrown inside the JGroups stack arrives wrapped by {@code JChannel.connect}. */
    private static ConfigException findConfig(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException c) {
                return c;
            }
        }
        return null;
    }

    NodeConfig toConfig() {
        List<MemberSpec> specs = new ArrayList<>();
        Set<String> joining = Set.of();
        if (join != null && members != null) {
            throw new ConfigException("--join", "give either --members or --join, not both");
        }
        if (join != null) {
            JoinSeeds.Seeded seeded = JoinSeeds.fetch(id, join.stream().filter(u -> !u.isBlank()).toList(), joinTls(),
                    joinToken(), Duration.ofSeconds(3));
            specs.addAll(seeded.members());
            joining = seeded.joining();
            adoptClusterId(seeded.clusterId());
            spec.commandLine().getErr().println("baton node: joining with the members of " + seeded.seed() + ": "
                    + seeded.members().stream().map(MemberSpec::id).toList() + (joining.isEmpty() ? "" : " (" + id + " joins as a learner)"));
        } else if (members == null) {
            throw new ConfigException("--members", "is required (or --join URL,... to join a running cluster)");
        } else {
            for (String m : members) {
                if (!m.isBlank()) {
                    specs.add(MemberSpec.parse(m));
                }
            }
        }
        Detection detection = new Detection(fdTimeoutMs, fdIntervalMs, verifySuspectMs, mergeMinMs, mergeMaxMs);
        long grant = leaseGrantMs != null ? leaseGrantMs : LeaseTiming.defaultGrantMs(leaseMs);
        LeaseTiming lease = new LeaseTiming(leaseMs, leaseRenewMs, grant);
        Operations ops = Operations.of(failover, mode,
                new Operations.Hooks(onActive, onStandby, onFenced, onUnhealthy, hookTimeoutMs), noFailover, preferredLeader, reads);
        SessionLimits sessions = new SessionLimits(sessionTimeoutMs, maxSessions);
        return new NodeConfig(id, specs, dataDir, detection, lease, requestTimeoutMs, maxValueBytes, snapshotLogBytes, fsync, repairLog,
                ops, Timings.DEFAULTS, sessions, PeerTls.of(peerTlsCa, peerTlsKeystore, peerTlsPasswordFile),
                new HttpLimits(httpHeaderTimeoutMs, httpBodyTimeoutMs, httpIdleTimeoutMs, httpMaxConnections, httpMaxConnectionsPerClient),
                tokenFile,
                HttpTls.of(httpTlsCert, httpTlsKey, httpTlsKeystore, httpTlsPasswordFile, httpTlsClientCa, httpTlsCa), joining);
    }

    /**
     * A new member's empty data dir takes the cluster id of the cluster it joins (a restored or
     * forced cluster has its own; with the default id its channel name would not match).
     */
    private void adoptClusterId(String id) {
        if (id == null) {
            return;
        }
        try {
            ClusterId seed = new ClusterId(id);
            ClusterId own = ClusterId.read(dataDir);
            if (own.equals(seed)) {
                return;
            }
            if (!own.isDefault() || Files.exists(dataDir.resolve(this.id + ".log"))) {
                throw new ConfigException("--join", "the data dir " + dataDir + " belongs to cluster " + own + ", the seed to "
                        + seed + ": join with an empty data dir");
            }
            if (!seed.isDefault()) {
                Files.createDirectories(dataDir);
                seed.write(dataDir);
            }
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new ConfigException("--join", "cannot take over the cluster id '" + id + "': " + e.getMessage());
        }
    }

    private String joinToken() {
        if (joinTokenFile == null) {
            return null;
        }
        try {
            return ClientOptions.firstLine("--join-token-file", joinTokenFile);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--join-token-file", e.getMessage());
        }
    }

    /** Trust for https seeds: this node's own HTTPS settings (its forwarding CA), else the JDK's. */
    private javax.net.ssl.SSLContext joinTls() {
        HttpTls tls = HttpTls.of(httpTlsCert, httpTlsKey, httpTlsKeystore, httpTlsPasswordFile, httpTlsClientCa, httpTlsCa);
        return tls == null ? null : HttpsCredentials.load(tls, PeerTls.of(peerTlsCa, peerTlsKeystore, peerTlsPasswordFile)).forwarding();
    }
}
