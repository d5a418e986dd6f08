package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.client.AccessDeniedException;
import dev.baton.client.BatonClient;
import dev.baton.client.LeaderWatch;
import dev.baton.client.wire.ErrorCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bearer tokens on a real 3-node active-active cluster (so a standby forwards writes to the
 * ACTIVE): every endpoint × {no token, unknown token, read, write, admin} on a standby and on the
 * ACTIVE gives the status its role allows (one table); the token file is re-read on change and on
 * SIGHUP without a restart, and a bad file keeps the old tokens; the client and the CLI carry a
 * token and fail clearly without one. Tokens are made with {@code baton token create}.
 */
@ExtendWith(NodeLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthIT {

    private static TestCluster cluster;
    private static Path tokenFile;
    private static String readToken;
    private static String writeToken;
    private static String adminToken;
    /** Requests of the table: no default token, each row sets its own. */
    private static final Http raw = new Http();

    private enum Who { NONE, BAD, READ, WRITE, ADMIN }

    @BeforeAll
    static void startCluster() throws Exception {
        Path dir = TestCluster.itDir().resolve("AuthIT-tokens");
        Files.createDirectories(dir);
        tokenFile = dir.resolve("tokens");
        Files.writeString(tokenFile, "# AuthIT tokens\n");
        BatonCli cli = BatonCli.in(dir.resolve("cli"), Duration.ofSeconds(60));
        readToken = create(cli, "reader", "read");
        writeToken = create(cli, "writer", "write");
        adminToken = create(cli, "ops", "admin");
        assertThat(Files.readString(tokenFile)).as("only hashes in the file")
                .doesNotContain(readToken).doesNotContain(writeToken).doesNotContain(adminToken).contains("ops admin sha256:");

        cluster = TestCluster.create("AuthIT", 3, Map.of(), "--mode", "active-active", "--token-file", tokenFile.toString());
        cluster.http().bearer(adminToken); // the cluster's own status waits
        cluster.startAll();
        TestCluster.Active active = cluster.awaitSettled();
        System.out.printf("[it] AuthIT: cluster with tokens up, %s ACTIVE at term %d%n", active.id(), active.term());
    }

    private static String create(BatonCli cli, String name, String role) throws Exception {
        BatonJar.RunResult r = cli.run("token", "create", "--name", name, "--role", role, "--append-to", tokenFile.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        String token = r.output().lines().filter(l -> l.matches("[A-Za-z0-9_-]{43}")).findFirst().orElseThrow();
        return token;
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** One endpoint: the least role it needs (null: open) and its status when allowed, on a standby and on the ACTIVE. */
    private record Row(String method, String path, String body, Who least, int onStandby, int onActive) {}

    private static Row row(String method, String path, Who least, int onStandby, int onActive) {
        return new Row(method, path, method.equals("PUT") ? "v" : "", least, onStandby, onActive);
    }

    @Test
    @Order(1)
    void everyEndpointByRole() throws Exception {
        TestCluster.Active active = cluster.awaitActive();
        assertThat(cluster.http().put(active.url() + Http.kvPath("auth/k"), "v0").status()).isEqualTo(200);
        List<Row> table = List.of(
                row("GET", "/health/live", null, 200, 200),
                row("GET", "/health/active", null, 503, 200),
                row("GET", "/health/standby", null, 200, 503),
                row("GET", "/", null, 200, 200), // the status page: no data in it
                row("GET", "/web/app.js", null, 200, 200),
                row("GET", "/v1/cluster", Who.READ, 200, 200),
                row("GET", "/v1/status", Who.READ, 200, 200),
                row("GET", "/v1/leader", Who.READ, 200, 200),
                row("GET", "/v1/leader?waitForTermAbove=0&timeoutMs=100", Who.READ, 200, 200),
                row("GET", "/v1/leader/watch", Who.READ, 200, 200),
                row("GET", "/v1/history?limit=5", Who.READ, 200, 200),
                row("GET", "/v1/kv/auth/k", Who.READ, 200, 200),
                row("GET", "/v1/kv?prefix=auth/", Who.READ, 200, 200),
                row("GET", "/v1/admin/maintenance", Who.READ, 200, 200),
                row("GET", "/metrics", Who.READ, 200, 200),
                row("GET", "/v1/no-such-path", Who.READ, 404, 404),
                row("PUT", "/v1/kv/auth/k", Who.WRITE, 200, 200),
                row("PUT", "/v1/kv/auth/k?ifRevision=0", Who.WRITE, 409, 409),
                row("DELETE", "/v1/kv/auth/absent", Who.WRITE, 200, 200),
                row("POST", "/v1/sessions", Who.WRITE, 200, 200),
                row("PUT", "/v1/admin/maintenance?enabled=true&for=1m", Who.ADMIN, 307, 200),
                row("PUT", "/v1/admin/maintenance?enabled=false", Who.ADMIN, 307, 200),
                row("POST", "/v1/admin/promote", Who.ADMIN, 307, 200),
                // last: it moves the leadership
                row("POST", "/v1/admin/transfer", Who.ADMIN, 307, 200));

        NodeProcess standby = cluster.others(active.node()).get(0);
        List<String> failures = new ArrayList<>();
        int checked = 0;
        // the standby first: the ACTIVE's run ends with the transfer
        for (NodeProcess node : List.of(standby, active.node())) {
            boolean onActive = node == active.node();
            for (Row r : table) {
                for (Who who : Who.values()) {
                    int expected = r.least() == null || who.ordinal() >= r.least().ordinal()
                            ? (onActive ? r.onActive() : r.onStandby())
                            : who == Who.NONE || who == Who.BAD ? 401 : 403;
                    Http.Response rsp = send(node, r, who);
                    checked++;
                    String where = (onActive ? "active " : "standby ") + node.id() + " " + r.method() + " " + r.path() + " as " + who;
                    if (rsp.status() != expected) {
                        failures.add(where + ": expected " + expected + ", got " + rsp);
                        continue;
                    }
                    if (expected == 401) {
                        if (!ErrorCodes.UNAUTHORIZED.equals(rsp.error().error()) || !rsp.header("WWW-Authenticate").orElse("").startsWith("Bearer")) {
                            failures.add(where + ": 401 without the unauthorized body or WWW-Authenticate: " + rsp + " " + rsp.headers());
                        }
                    } else if (expected == 403) {
                        if (!ErrorCodes.FORBIDDEN.equals(rsp.error().error())
                                || !rsp.error().message().contains("needs role " + r.least().name().toLowerCase())) {
                            failures.add(where + ": 403 without forbidden / the role needed: " + rsp);
                        }
                    }
                }
            }
        }
        System.out.printf("[it] AuthIT: %d requests checked, %d wrong%n", checked, failures.size());
        assertThat(failures).as("requests answered with the wrong status").isEmpty();
        TestCluster.Active after = cluster.awaitActive(active.term());
        System.out.printf("[it] AuthIT: after the transfer %s ACTIVE at term %d%n", after.id(), after.term());
        assertThat(cluster.http().get(after.url() + "/v1/admin/maintenance").text()).contains("\"enabled\":false");
    }

    private static Http.Response send(NodeProcess node, Row r, Who who) throws IOException {
        String auth = switch (who) {
            case NONE -> null;
            case BAD -> "Bearer " + "x".repeat(43);
            case READ -> "Bearer " + readToken;
            case WRITE -> "Bearer " + writeToken;
            case ADMIN -> "Bearer " + adminToken;
        };
        if (r.path().equals("/v1/leader/watch")) {
            return streamHead(node, r.path(), auth);
        }
        String url = node.url() + r.path();
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        return auth == null ? raw.method(r.method(), url, body) : raw.withHeaders(r.method(), url, body, "Authorization", auth);
    }

    /** The status line of an event stream (which never ends by itself), then the connection is closed. */
    private static Http.Response streamHead(NodeProcess node, String path, String auth) throws IOException {
        URI u = URI.create(node.url());
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + u.getHost() + "\r\nAccept: text/event-stream\r\n"
                    + (auth == null ? "" : "Authorization: " + auth + "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            int c;
            while (!head.toString().endsWith("\r\n\r\n") && (c = in.read()) != -1) {
                head.append((char) c);
            }
            String status = head.toString().split(" ", 3)[1];
            java.net.http.HttpHeaders headers = java.net.http.HttpHeaders.of(head.toString().lines().skip(1)
                    .filter(l -> l.contains(":"))
                    .collect(java.util.stream.Collectors.groupingBy(l -> l.substring(0, l.indexOf(':')).trim(),
                            java.util.stream.Collectors.mapping(l -> l.substring(l.indexOf(':') + 1).trim(), java.util.stream.Collectors.toList()))),
                    (a, b) -> true);
            byte[] rest = new byte[0];
            if (!status.equals("200")) {
                // an error answer is a small JSON body with a Content-Length
                int len = Integer.parseInt(headers.firstValue("content-length").orElse("0"));
                rest = in.readNBytes(len);
            }
            return new Http.Response("GET", node.url() + path, Integer.parseInt(status), headers, rest);
        }
    }

    @Test
    @Order(2)
    void tokenFileReloadsOnChangeAndOnSighup() throws Exception {
        TestCluster.Active active = cluster.awaitActive();
        NodeProcess node = active.node();
        String url = node.url() + "/v1/status";
        String extra = "A" + "b".repeat(42);
        String extraLine = "late read " + sha256(extra) + "\n";
        String before = Files.readString(tokenFile);

        assertThat(statusWith(url, extra)).isEqualTo(401);
        Files.writeString(tokenFile, extraLine, StandardOpenOption.APPEND);
        await().atMost(Duration.ofSeconds(5)).until(() -> statusWith(url, extra) == 200);
        System.out.println("[it] AuthIT: appended token accepted without a restart");

        Files.writeString(tokenFile, before);
        await().atMost(Duration.ofSeconds(5)).until(() -> statusWith(url, extra) == 401);
        System.out.println("[it] AuthIT: removed token refused again");

        // a bad file keeps the tokens in force, and says which line
        int reloads = count(node.log(), "reloaded, 3 token(s)");
        Files.writeString(tokenFile, before + "broken line\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> node.log().contains("not reloaded"));
        assertThat(node.log()).contains("line " + (before.lines().count() + 1) + ":");
        assertThat(statusWith(url, readToken)).isEqualTo(200);
        Files.writeString(tokenFile, before);
        await().atMost(Duration.ofSeconds(5)).until(() -> count(node.log(), "reloaded, 3 token(s)") > reloads);

        if (node.log().contains("SIGHUP is ignored by this process")) {
            // inherited: this test run was started with SIGHUP ignored (e.g. under nohup), which a
            // JVM cannot undo; the node says so at start-up, and that warning is what is checked
            System.out.println("[it] AuthIT: SIGHUP step skipped: this test run ignores SIGHUP, so its nodes do (they log why)");
        } else {
            // SIGHUP alone: the file changes in place with the same size and modification time, so the
            // poller sees nothing; only the signal makes the node read it (the token goes from read to write)
            String readLine = "late read " + sha256(extra) + "\n";
            String writeLine = "lat write " + sha256(extra) + "\n";
            assertThat(writeLine).hasSameSizeAs(readLine);
            Files.writeString(tokenFile, before + readLine);
            await().atMost(Duration.ofSeconds(5)).until(() -> statusWith(url, extra) == 200);
            FileTime mtime = Files.getLastModifiedTime(tokenFile);
            Files.writeString(tokenFile, before + writeLine);
            Files.setLastModifiedTime(tokenFile, mtime);
            Thread.sleep(2_500); // more than two polls
            String putUrl = node.url() + Http.kvPath("auth/hup");
            assertThat(raw.withHeaders("PUT", putUrl, new byte[] {1}, "Authorization", "Bearer " + extra).status())
                    .as("not re-read yet: the token still has role read").isEqualTo(403);
            // every node: a standby forwards the PUT and the ACTIVE checks the token again (after the
            // admin table's transfer the ACTIVE need not be this node)
            cluster.nodes().forEach(NodeProcess::sighup);
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    raw.withHeaders("PUT", putUrl, new byte[] {1}, "Authorization", "Bearer " + extra).status() == 200);
            System.out.println("[it] AuthIT: SIGHUP re-read the token file");
            Files.writeString(tokenFile, before);
            await().atMost(Duration.ofSeconds(5)).until(() -> statusWith(url, extra) == 401);
        }
        for (NodeProcess n : cluster.nodes()) {
            assertThat(n.log()).as("%s log", n.id())
                    .doesNotContain(extra).doesNotContain(readToken).doesNotContain(writeToken).doesNotContain(adminToken);
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static int statusWith(String url, String token) {
        return raw.withHeaders("GET", url, new byte[0], "Authorization", "Bearer " + token).status();
    }

    private static String sha256(String token) throws Exception {
        byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        return "sha256:" + java.util.HexFormat.of().formatHex(d);
    }

    @Test
    @Order(3)
    void clientAndCliCarryTheToken() throws Exception {
        cluster.awaitActive();
        try (BatonClient client = TestClients.builder(cluster).token(writeToken).build()) {
            assertThat(client.put("auth/client", "v").revision()).isPositive();
            List<String> leaders = new CopyOnWriteArrayList<>();
            LeaderWatch watch = client.watchLeader(e -> leaders.add(String.valueOf(e)));
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> !leaders.isEmpty());
            } finally {
                watch.close();
            }
            assertThatThrownBy(() -> client.transfer(null))
                    .isInstanceOf(AccessDeniedException.class).hasMessageContaining("needs role admin");
        }
        try (BatonClient client = TestClients.builder(cluster).build()) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> client.put("auth/client", "v2"))
                    .isInstanceOf(AccessDeniedException.class).hasMessageContaining("401 unauthorized");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("not retried until the deadline").isLessThan(Duration.ofSeconds(10));
        }

        BatonCli cli = BatonCli.against(cluster);
        BatonJar.RunResult ok = cli.run("put", "auth/cli", "v", "--token", writeToken);
        assertThat(ok.exitCode()).as(ok.output()).isZero();
        Path tf = cluster.dir().resolve("cli-token");
        Files.writeString(tf, readToken + "\n");
        BatonJar.RunResult get = cli.run("get", "auth/cli", "--token-file", tf.toString());
        assertThat(get.exitCode()).as(get.output()).isZero();
        assertThat(get.output()).contains("v");
        BatonJar.RunResult none = cli.run("put", "auth/cli", "v2");
        assertThat(none.exitCode()).as(none.output()).isEqualTo(8);
        assertThat(none.output()).contains("401 unauthorized").contains("bearer token");
        BatonJar.RunResult status = cli.run("status");
        assertThat(status.exitCode()).as(status.output()).isEqualTo(8);
        assertThat(cli.run("status", "--token", readToken).exitCode()).isZero();
        BatonJar.RunResult forbidden = cli.run("put", "auth/cli", "v2", "--token-file", tf.toString());
        assertThat(forbidden.exitCode()).as(forbidden.output()).isEqualTo(8);
        assertThat(forbidden.output()).contains("403 forbidden").contains("needs role write");
    }
}
