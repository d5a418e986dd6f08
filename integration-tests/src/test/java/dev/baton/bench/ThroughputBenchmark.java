package dev.baton.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.baton.client.BatonClient;
import dev.baton.it.NodeProcess;
import dev.baton.it.TestClients;
import dev.baton.it.TestCluster;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Write and read throughput of a real 3-node cluster (fsync on, the node default), driven two ways
 * side by side: raw HTTP like wrk (one keep-alive connection per request in flight, straight at
 * the ACTIVE: {@link RawHttpConnection}) and the real {@link BatonClient}. For each mode (write,
 * linearizable read, stale read), each number of requests in flight (one synchronous caller thread
 * per request in flight) and each way, a warm-up, then a fixed measuring window. Prints a table
 * (ops/s, p50, p99, p99.9 in ms, errors, CPU per process) and writes it as JSON. Keys are 16
 * bytes, values 64 bytes.
 *
 * <p>Not a test: run {@code main} from the integration-tests test classpath (scripts/bench.sh
 * throughput). Bounded in time; every node it starts is stopped at the end, also on failure
 * ({@link TestCluster#close()} and the harness's shutdown hook). Options: {@code --help}.
 *
 * <p>Latency is measured per call, from before the client call (raw: before the request is
 * written) to its return (raw: the whole answer read): it includes the client's own work, queueing
 * on the shared machine and the node's commit (fsync on a majority). The raw calls skip what the
 * client adds: finding the ACTIVE, sessions (exactly-once writes), retries; a raw answer other than
 * 200 counts as an error, also a 307 after leadership moved.
 */
public final class ThroughputBenchmark {

    static final int KEY_BYTES = 16;
    static final int VALUE_BYTES = 64;

    /** Modes, in run order: reads come after writes so that the keys they read exist. */
    enum Mode {
        WRITE("write"), READ("read"), STALE_READ("stale-read");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    /** How the requests are sent: see {@link LoadCaller}. */
    enum Via {
        RAW_HTTP("raw-http"), BATON_CLIENT("baton-client");

        final String label;

        Via(String label) {
            this.label = label;
        }
    }

    /** How the caller threads share clients: one instance for all (the realistic default) or one each. */
    enum Clients { SHARED, PER_THREAD }

    record Options(Duration duration, Duration warmup, List<Integer> inflight, List<Mode> modes, List<Via> via,
            Path out, Clients clients, int keys, List<String> seeds, List<String> nodeOptions, boolean secure) {}

    /** One measured phase. {@code cpuCores}: share of a core per process (bench, node ids) during the window. */
    record PhaseResult(String client, String mode, int inflight, long ops, double seconds, double opsPerSec, double p50Ms,
            double p99Ms, double p999Ms, double maxMs, long errors, Map<String, String> firstErrors,
            Map<String, Double> cpuCores, double machineCores) {

        /**
         * CPU time of the benchmark and the nodes together per call, in microseconds: the cost of a
         * call, which unlike ops/s barely depends on what else the machine runs.
         */
        @JsonProperty("cpuMicrosPerOp")
        public double cpuMicrosPerOp() {
            double cores = cpuCores.values().stream().mapToDouble(Double::doubleValue).filter(c -> c >= 0).sum();
            return ops == 0 ? Double.NaN : cores * seconds / ops * 1e6;
        }
    }

    private final Options options;
    private final byte[] value;
    /** Formatted once: formatting a key per call showed up in the benchmark's own profile. */
    private final String[] keys;

    private ThroughputBenchmark(Options options) {
        this.options = options;
        this.keys = new String[options.keys()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = key(i);
        }
        this.value = new byte[VALUE_BYTES];
        for (int i = 0; i < VALUE_BYTES; i++) {
            value[i] = (byte) ('a' + ThreadLocalRandom.current().nextInt(26));
        }
    }

    public static void main(String[] args) throws Exception {
        BenchMain.main("throughput", args, ThroughputBenchmark::parse, ThroughputBenchmark::usage,
                o -> new ThroughputBenchmark(o).run());
    }

    private int run() throws Exception {
        Instant started = Instant.now();
        TestCluster cluster = null;
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("bench", ProcessHandle.current().pid());
        List<URI> seeds;
        String active = "?";
        try {
            if (options.secure() && !options.seeds().isEmpty()) {
                throw new IllegalArgumentException("--secure starts its own cluster: not with --seeds");
            }
            if (options.secure()) {
                BenchSecurity.enable(TestCluster.itDir().resolve("throughput-secure"));
            }
            if (options.seeds().isEmpty()) {
                cluster = BenchCluster.start("throughput", 3, options.nodeOptions());
                TestCluster.Active a = cluster.awaitSettled();
                active = a.id();
                for (NodeProcess n : cluster.nodes()) {
                    pids.put(n.id() + (n == a.node() ? "(active)" : ""), n.pid());
                }
                seeds = cluster.nodes().stream().map(n -> URI.create(n.url())).toList();
            } else {
                seeds = options.seeds().stream().map(URI::create).toList();
            }
            System.out.printf("[bench] %s: seeds %s, active %s, via %s, clients %s, warm-up %d s, window %d s per phase%n",
                    BenchSecurity.modeName(), seeds, active, options.via().stream().map(v -> v.label).toList(), options.clients().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    options.warmup().toSeconds(), options.duration().toSeconds());
            List<PhaseResult> results = new ArrayList<>();
            boolean keysWritten = false;
            for (Mode mode : options.modes()) {
                if (mode != Mode.WRITE && !keysWritten) {
                    prefill(seeds);
                    keysWritten = true;
                }
                for (int inflight : options.inflight()) {
                    for (Via via : options.via()) {
                        PhaseResult r = phase(seeds, via, mode, inflight, pids);
                        results.add(r);
                        System.out.println(row(r));
                    }
                }
            }
            System.out.println();
            System.out.println(table(results));
            if (options.out() != null) {
                writeJson(started, seeds, active, results);
                System.out.println("[bench] wrote " + options.out());
            }
            return results.stream().anyMatch(r -> r.ops() == 0) ? 1 : 0;
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /**
     * Writes every key once (raw HTTP, 64 in flight), so that reads find them all: the write phases
     * pick keys at random and leave some unwritten.
     */
    private void prefill(List<URI> seeds) throws InterruptedException {
        System.out.printf("[bench] writing %d keys for the reads%n", options.keys());
        RawWriteLoad.Result r = RawWriteLoad.run(ActiveFinder.find(seeds), 64, options.keys(),
                System.nanoTime() + Duration.ofMinutes(5).toNanos(), value);
        if (r.written() < options.keys()) {
            throw new IllegalStateException("wrote only " + r.written() + " of " + options.keys() + " keys for the reads: "
                    + r.firstErrors());
        }
    }

    private PhaseResult phase(List<URI> seeds, Via via, Mode mode, int inflight, Map<String, Long> pids)
            throws InterruptedException {
        List<BatonClient> clients = new ArrayList<>();
        List<LoadCaller> callers = new ArrayList<>();
        if (via == Via.BATON_CLIENT) {
            int instances = options.clients() == Clients.SHARED ? 1 : inflight;
            for (int i = 0; i < instances; i++) {
                clients.add(client(seeds));
            }
            for (int t = 0; t < inflight; t++) {
                callers.add(LoadCaller.batonClient(clients.get(t % clients.size())));
            }
        } else {
            URI active = ActiveFinder.find(seeds); // asked per phase: leadership may have moved
            for (int t = 0; t < inflight; t++) {
                callers.add(LoadCaller.rawHttp(active));
            }
        }
        try {
            long warmupNanos = options.warmup().toNanos();
            long windowNanos = options.duration().toNanos();
            long begin = System.nanoTime();
            long measureStart = begin + warmupNanos;
            long measureEnd = measureStart + windowNanos;
            AtomicLong errors = new AtomicLong();
            Map<String, String> firstErrors = new ConcurrentHashMap<>();
            List<ThroughputLatencies> latencies = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < inflight; t++) {
                ThroughputLatencies mine = new ThroughputLatencies();
                latencies.add(mine);
                LoadCaller caller = callers.get(t);
                threads.add(daemon("bench-" + via.label + "-" + mode.label + "-" + t, () ->
                        callLoop(caller, mode, measureStart, measureEnd, mine, errors, firstErrors)));
            }
            sleepUntil(measureStart);
            Map<String, Double> cpuBefore = ThroughputCpu.sample(pids);
            long[] machineBefore = ThroughputCpu.machineTicks();
            sleepUntil(measureEnd);
            Map<String, Double> cpuAfter = ThroughputCpu.sample(pids);
            long[] machineAfter = ThroughputCpu.machineTicks();
            double seconds = windowNanos / 1e9;
            // a caller is at most one call past the window; the client's deadline bounds that call
            long joinBy = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            for (Thread t : threads) {
                t.join(Math.max(1, (joinBy - System.nanoTime()) / 1_000_000));
                if (t.isAlive()) {
                    t.interrupt();
                }
            }
            long[] sorted = ThroughputLatencies.merge(latencies);
            return new PhaseResult(via.label, mode.label, inflight, sorted.length, seconds, sorted.length / seconds,
                    ThroughputLatencies.percentileMs(sorted, 0.50), ThroughputLatencies.percentileMs(sorted, 0.99),
                    ThroughputLatencies.percentileMs(sorted, 0.999),
                    sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6, errors.get(),
                    new LinkedHashMap<>(firstErrors), ThroughputCpu.cores(cpuBefore, cpuAfter, seconds),
                    ThroughputCpu.machineCores(machineBefore, machineAfter, seconds));
        } finally {
            callers.forEach(LoadCaller::close);
            clients.forEach(BatonClient::close);
        }
    }

    /**
     * One caller: calls back to back until {@code measureEnd}. A call counts (and its latency is
     * kept) if it started inside the window and succeeded.
     */
    private void callLoop(LoadCaller caller, Mode mode, long measureStart, long measureEnd, ThroughputLatencies out,
            AtomicLong errors, Map<String, String> firstErrors) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!Thread.currentThread().isInterrupted()) {
            long start = System.nanoTime();
            if (start >= measureEnd) {
                return;
            }
            String key = keys[random.nextInt(keys.length)];
            try {
                caller.call(mode, key, value);
            } catch (Exception e) {
                if (start >= measureStart) {
                    errors.incrementAndGet();
                    firstErrors.putIfAbsent(e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
                }
                continue;
            }
            if (start >= measureStart) {
                out.add(System.nanoTime() - start);
            }
        }
    }

    private BatonClient client(List<URI> seeds) {
        return BenchSecurity.apply(TestClients.forUrls(seeds)).deadline(Duration.ofSeconds(10)).build(); // the client's default deadline
    }

    /** 16 bytes: {@code bench-key-000042}. */
    static String key(int i) {
        String k = String.format(Locale.ROOT, "bench-key-%06d", i);
        assert k.length() == KEY_BYTES;
        return k;
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long left; (left = nanoTime - System.nanoTime()) > 0; ) {
            Thread.sleep(Math.max(1, left / 1_000_000), 0);
        }
    }

    static String header() {
        return String.format(Locale.ROOT, "%-12s %-11s %9s %10s %8s %8s %8s %8s %7s %8s  %s",
                "CLIENT", "MODE", "IN-FLIGHT", "OPS/S", "P50", "P99", "P99.9", "MAX", "ERRORS", "CPU-US/OP", "CPU (cores: bench, nodes; machine)");
    }

    static String row(PhaseResult r) {
        StringBuilder cpu = new StringBuilder();
        r.cpuCores().forEach((name, c) -> cpu.append(cpu.length() == 0 ? "" : " ").append(name).append('=')
                .append(String.format(Locale.ROOT, "%.2f", c)));
        cpu.append(String.format(Locale.ROOT, "; machine=%.2f", r.machineCores()));
        return String.format(Locale.ROOT, "%-12s %-11s %9d %10.0f %8.2f %8.2f %8.2f %8.1f %7d %9.0f  %s",
                r.client(), r.mode(), r.inflight(), r.opsPerSec(), r.p50Ms(), r.p99Ms(), r.p999Ms(), r.maxMs(), r.errors(),
                r.cpuMicrosPerOp(), cpu)
                + (r.firstErrors().isEmpty() ? "" : "\n            errors: " + r.firstErrors());
    }

    static String table(List<PhaseResult> results) {
        StringBuilder sb = new StringBuilder(header()).append("   (latencies in ms)\n");
        results.forEach(r -> sb.append(row(r)).append('\n'));
        return sb.toString();
    }

    private void writeJson(Instant started, List<URI> seeds, String active, List<PhaseResult> results) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "throughput");
        doc.put("started", started.toString());
        doc.put("finished", Instant.now().toString());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("nodes", seeds.size());
        config.put("startedCluster", options.seeds().isEmpty());
        config.put("nodeOptions", options.nodeOptions());
        config.put("security", BenchSecurity.modeName());
        int fsyncAt = options.nodeOptions().indexOf("--fsync");
        config.put("fsync", fsyncAt < 0 || fsyncAt + 1 >= options.nodeOptions().size()
                || !options.nodeOptions().get(fsyncAt + 1).equals("false"));
        config.put("active", active);
        config.put("via", options.via().stream().map(v -> v.label).toList());
        config.put("clients", options.clients().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        config.put("keyBytes", KEY_BYTES);
        config.put("valueBytes", VALUE_BYTES);
        config.put("keys", options.keys());
        config.put("warmupSeconds", options.warmup().toMillis() / 1000.0);
        config.put("durationSeconds", options.duration().toMillis() / 1000.0);
        config.put("cores", Runtime.getRuntime().availableProcessors());
        config.put("java", System.getProperty("java.version"));
        doc.put("config", config);
        doc.put("results", results);
        Path out = options.out().toAbsolutePath();
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.write(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(doc));
    }

    static String usage() {
        return String.join("\n",
                "usage: ThroughputBenchmark [--duration S] [--warmup S] [--inflight 1,16,64] [--modes write,read,stale-read]",
                "                           [--via raw-http,baton-client] [--clients shared|per-thread] [--keys N] [--out FILE.json]",
                "                           [--seeds URL,...] [--node-option ARG]... [--secure]",
                "  --duration S    measuring window of each phase, seconds (default 20)",
                "  --warmup S      warm-up before each window, seconds (default 5)",
                "  --inflight L    requests in flight (= caller threads) per phase (default 1,16,64)",
                "  --modes L       phases to run, in this order (default write,read,stale-read)",
                "  --via L         how requests are sent (default raw-http,baton-client): raw-http = wrk-style, one",
                "                  keep-alive connection per request in flight straight at the ACTIVE; baton-client = BatonClient",
                "  --clients C     shared: one BatonClient for all callers (default); per-thread: one each",
                "  --keys N        distinct keys written and read (default 10000)",
                "  --out FILE      JSON results (default integration-tests/target/bench/throughput.json)",
                "  --seeds URLS    use this running cluster instead of starting 3 nodes",
                "  --node-option A pass A to every started node (repeat; e.g. --node-option --fsync --node-option false)",
                "  --secure        the started nodes run with peer TLS, HTTPS and an admin token; every request",
                "                  (raw HTTP and BatonClient) goes over HTTPS with the token");
    }

    /** Null for --help. */
    static Options parse(String[] args) {
        Duration duration = Duration.ofSeconds(20);
        Duration warmup = Duration.ofSeconds(5);
        List<Integer> inflight = List.of(1, 16, 64);
        List<Mode> modes = List.of(Mode.values());
        List<Via> via = List.of(Via.values());
        Path out = Path.of("target", "bench", "throughput.json");
        Clients clients = Clients.SHARED;
        int keys = 10_000;
        List<String> seeds = List.of();
        List<String> nodeOptions = new ArrayList<>();
        boolean secure = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                return null;
            }
            if (a.equals("--secure")) {
                secure = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--duration" -> duration = seconds(a, v);
                case "--warmup" -> warmup = seconds(a, v);
                case "--inflight" -> inflight = Arrays.stream(v.split(",")).map(String::trim).map(s -> positiveInt(a, s)).toList();
                case "--modes" -> modes = Arrays.stream(v.split(",")).map(String::trim).map(ThroughputBenchmark::mode).toList();
                case "--via" -> via = Arrays.stream(v.split(",")).map(String::trim).map(ThroughputBenchmark::via).toList();
                case "--clients" -> clients = switch (v) {
                    case "shared" -> Clients.SHARED;
                    case "per-thread" -> Clients.PER_THREAD;
                    default -> throw new IllegalArgumentException("--clients must be shared or per-thread, got '" + v + "'");
                };
                case "--keys" -> keys = positiveInt(a, v);
                case "--out" -> out = Path.of(v);
                case "--seeds" -> seeds = Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
                case "--node-option" -> nodeOptions.add(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (keys > 1_000_000) {
            throw new IllegalArgumentException("--keys must be at most 1000000 (16-byte keys), got " + keys);
        }
        return new Options(duration, warmup, inflight, modes, via, out, clients, keys, seeds, List.copyOf(nodeOptions), secure);
    }

    private static Mode mode(String s) {
        for (Mode m : Mode.values()) {
            if (m.label.equals(s) || (m == Mode.STALE_READ && s.equals("stale"))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + s + "' (write, read, stale-read)");
    }

    private static Via via(String s) {
        for (Via v : Via.values()) {
            if (v.label.equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown --via '" + s + "' (raw-http, baton-client)");
    }

    private static Duration seconds(String option, String v) {
        try {
            double s = Double.parseDouble(v);
            if (s < 0 || (s == 0 && option.equals("--duration"))) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(Math.round(s * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a " + (option.equals("--duration") ? "positive" : "non-negative")
                    + " number of seconds, got '" + v + "'");
        }
    }

    private static int positiveInt(String option, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs positive integers, got '" + v + "'");
        }
    }
}
