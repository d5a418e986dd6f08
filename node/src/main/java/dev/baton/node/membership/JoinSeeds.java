package dev.baton.node.membership;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.client.wire.MemberEntry;
import dev.baton.client.wire.MemberInfo;
import dev.baton.client.wire.MemberList;
import dev.baton.node.config.ConfigException;
import dev.baton.node.config.MemberSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * Start-up of a node given {@code --join URL,...} instead of {@code --members}: asks the seeds for
 * the replicated member table ({@code GET /v1/admin/members}), in order, until one answers. The
 * node must already be in it ({@code baton members add} first), which also gives it its own
 * addresses. While it is joining it starts as a learner.
 */
public final class JoinSeeds {

    /** What a seed said: every member, and the ones that do not vote yet. */
    /** {@code clusterId}: the cluster's id as the seed reports it, null from an older node. */
    public record Seeded(List<MemberSpec> members, Set<String> joining, String seed, String leader, String clusterId) {}

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private JoinSeeds() {}

    /**
     * @param tls trust for {@code https} seeds (null: the JDK's)
     * @param token a bearer token with the read role, or null
     */
    public static Seeded fetch(String selfId, List<String> seeds, SSLContext tls, String token, Duration timeout) {
        if (seeds.isEmpty()) {
            throw new ConfigException("--join", "needs at least one seed URL (any member's HTTP URL)");
        }
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            b.sslContext(tls);
        }
        HttpClient http = b.build();
        List<String> failures = new ArrayList<>();
        for (String seed : seeds) {
            String base = seed.endsWith("/") ? seed.substring(0, seed.length() - 1) : seed;
            MemberList list;
            try {
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + "/v1/admin/members")).timeout(timeout).GET();
                if (token != null) {
                    req.header("Authorization", "Bearer " + token);
                }
                HttpResponse<byte[]> rsp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (rsp.statusCode() == 401 || rsp.statusCode() == 403) {
                    throw new ConfigException("--join", seed + " requires a token with the read role (HTTP " + rsp.statusCode()
                            + "): pass --join-token-file");
                }
                if (rsp.statusCode() != 200) {
                    failures.add(seed + ": HTTP " + rsp.statusCode());
                    continue;
                }
                list = JSON.readValue(rsp.body(), MemberList.class);
            } catch (IOException | IllegalArgumentException e) {
                failures.add(seed + ": " + e.getMessage());
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConfigException("--join", "interrupted while asking " + seed);
            }
            return seeded(selfId, seed, list);
        }
        throw new ConfigException("--join", "no seed answered (" + String.join("; ", failures) + ")");
    }

    static Seeded seeded(String selfId, String seed, MemberList list) {
        MemberEntry self = list.members().stream().filter(m -> m.id().equals(selfId)).findFirst().orElse(null);
        if (self == null) {
            throw new ConfigException("--join", "'" + selfId + "' is not a member of the cluster at " + seed + " (members "
                    + list.members().stream().map(MemberEntry::id).collect(Collectors.joining(", "))
                    + "): add it first with 'baton members add " + selfId + "=HOST:RAFT_PORT:HTTP_PORT'");
        }
        List<MemberSpec> specs = new ArrayList<>();
        for (MemberEntry m : list.members()) {
            specs.add(new MemberSpec(m.id(), m.host(), m.raftPort(), m.httpPort()));
        }
        Set<String> joining = MemberInfo.JOINING.equals(self.status()) ? Set.of(selfId) : Set.of();
        return new Seeded(List.copyOf(specs), joining, seed, list.leader(), list.clusterId());
    }
}
