package dev.baton.chaos;

import dev.baton.client.BatonClient;
import dev.baton.client.BatonException;
import dev.baton.client.wire.MemberEntry;
import dev.baton.client.wire.MemberInfo;
import dev.baton.client.wire.MemberList;
import dev.baton.it.NodeProcess;
import dev.baton.it.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The membership fault: a machine replaced while the workload runs. The target (the ACTIVE too) is
 * removed from the membership through the ACTIVE ({@code DELETE /v1/admin/members/ID}; an ACTIVE
 * hands over first), must then stop by itself (exit 9), its data dir is wiped as a new machine's
 * would be, and it is added again and started with {@code --join}: a fresh member at the same
 * address, which receives a snapshot and the log and votes once caught up. What goes wrong on the
 * way (no exit, never a voter again) is a violation.
 */
final class MemberReplacement {

    static final int REMOVED_EXIT_CODE = 9;
    private static final Duration STEP = Duration.ofSeconds(60);

    record Outcome(String what, List<Violation> violations) {}

    private final TestCluster cluster;
    private final List<String> joinOptions;

    /** @param joinOptions extra options of the restarted node (e.g. {@code --join-token-file}) */
    MemberReplacement(TestCluster cluster, List<String> joinOptions) {
        this.cluster = cluster;
        this.joinOptions = List.copyOf(joinOptions);
    }

    /** Replaces {@code t}; {@code processEnds} gets the moment its process was seen gone. */
    Outcome replace(NodeProcess t, List<Long> processEnds, int number) throws InterruptedException {
        List<Violation> violations = new ArrayList<>();
        try (BatonClient client = cluster.clientBuilder().deadline(Duration.ofSeconds(20)).build()) {
            if (!remove(client, t.id())) {
                return new Outcome("removal of " + t.id() + " refused (a majority was not reachable): nothing changed", violations);
            }
            Integer exit = t.awaitExitCode(STEP.toSeconds());
            processEnds.add(System.nanoTime());
            if (exit == null || exit != REMOVED_EXIT_CODE) {
                violations.add(new Violation("membership", "fault " + number + ": " + t.id() + " removed from the membership "
                        + (exit == null ? "was still running " + STEP.toSeconds() + " s later" : "exited with " + exit)
                        + ", not " + REMOVED_EXIT_CODE, t.logTail(30)));
                if (exit == null) {
                    t.kill9();
                }
            }
            t.wipeData();
            client.addMember(t.memberSpec());
            List<String> args = new ArrayList<>(List.of("--join", seedsWithout(t)));
            args.addAll(joinOptions);
            t.startWith(args);
            String status = awaitVoter(client, t.id());
            if (!MemberInfo.VOTER.equals(status)) {
                violations.add(new Violation("membership", "fault " + number + ": " + t.id() + " re-added with an empty data dir is "
                        + status + ", not a voter, " + STEP.toSeconds() + " s after its start", t.logTail(30)));
            }
        }
        return new Outcome("removed " + t.id() + " (exit " + REMOVED_EXIT_CODE + "), data wiped, added back with --join,"
                + " a voter again", violations);
    }

    /** Removes {@code id}; false if refused for lack of a reachable majority (after a few tries). */
    private boolean remove(BatonClient client, String id) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                client.removeMember(id);
                return true;
            } catch (BatonException e) {
                if (!String.valueOf(e.getMessage()).contains("reachable") || attempt >= 10) {
                    if (attempt >= 10) {
                        return false;
                    }
                    throw e;
                }
                Thread.sleep(500); // a node restarted by the last fault may still be rejoining the view
            }
        }
    }

    private String awaitVoter(BatonClient client, String id) throws InterruptedException {
        long deadline = System.nanoTime() + STEP.toNanos();
        String status = "not a member";
        while (System.nanoTime() - deadline < 0) {
            try {
                MemberList list = client.members();
                status = list.members().stream().filter(m -> m.id().equals(id)).map(MemberEntry::status).findFirst()
                        .orElse("not a member");
                if (MemberInfo.VOTER.equals(status)) {
                    return status;
                }
            } catch (BatonException e) {
                status = "unknown (" + e.getMessage() + ")";
            }
            Thread.sleep(200);
        }
        return status;
    }

    private String seedsWithout(NodeProcess t) {
        return cluster.nodes().stream().filter(n -> n != t).map(NodeProcess::url).collect(Collectors.joining(","));
    }
}
