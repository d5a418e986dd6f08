package dev.baton.node.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KvStateMachineTest {

    private final KvStateMachine sm = new KvStateMachine();

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Command put(String key, String value) {
        return new Command.Put(Command.Session.NONE, key, b(value), Command.NO_REVISION_CHECK);
    }

    @Test
    void putCreatesKeyAtNextGlobalRevision() {
        assertThat(sm.apply(put("a", "1"))).isEqualTo(new Result.Written(1, 0, false));
        assertThat(sm.apply(put("b", "2"))).isEqualTo(new Result.Written(2, 0, false));
        assertThat(sm.apply(put("a", "3"))).isEqualTo(new Result.Written(3, 1, true));
        assertThat(sm.revision()).isEqualTo(3);
        Result.Value v = (Result.Value) sm.apply(new Command.Get("a"));
        assertThat(v.revision()).isEqualTo(3);
        assertThat(new String(v.value(), StandardCharsets.UTF_8)).isEqualTo("3");
    }

    @Test
    void getOfMissingKeyIsNotFound() {
        assertThat(sm.apply(new Command.Get("nope"))).isEqualTo(new Result.NotFound());
    }

    @Test
    void deleteRemovesKeyAndAdvancesRevision() {
        sm.apply(put("a", "1"));
        assertThat(sm.apply(new Command.Delete(Command.Session.NONE, "a", Command.NO_REVISION_CHECK)))
                .isEqualTo(new Result.Written(2, 1, true));
        assertThat(sm.apply(new Command.Get("a"))).isEqualTo(new Result.NotFound());
    }

    @Test
    void deleteOfMissingKeyChangesNothing() {
        sm.apply(put("a", "1"));
        assertThat(sm.apply(new Command.Delete(Command.Session.NONE, "zz", Command.NO_REVISION_CHECK)))
                .isEqualTo(new Result.Written(1, 0, false));
        assertThat(sm.revision()).isEqualTo(1);
    }

    @Test
    void compareAndSetAppliesOnlyOnMatchingRevision() {
        sm.apply(put("a", "1")); // rev 1
        assertThat(sm.apply(new Command.Put(Command.Session.NONE, "a", b("x"), 7)))
                .isEqualTo(new Result.RevisionMismatch(1));
        assertThat(sm.revision()).isEqualTo(1);
        assertThat(sm.apply(new Command.Put(Command.Session.NONE, "a", b("2"), 1)))
                .isEqualTo(new Result.Written(2, 1, true));
    }

    @Test
    void compareAndSetWithZeroMeansMustNotExist() {
        assertThat(sm.apply(new Command.Put(Command.Session.NONE, "a", b("1"), 0)))
                .isEqualTo(new Result.Written(1, 0, false));
        assertThat(sm.apply(new Command.Put(Command.Session.NONE, "a", b("2"), 0)))
                .isEqualTo(new Result.RevisionMismatch(1));
        assertThat(new String(sm.peek("a"), StandardCharsets.UTF_8)).isEqualTo("1");
    }

    @Test
    void conditionalDeleteChecksRevision() {
        sm.apply(put("a", "1"));
        assertThat(sm.apply(new Command.Delete(Command.Session.NONE, "a", 5))).isEqualTo(new Result.RevisionMismatch(1));
        assertThat(sm.apply(new Command.Delete(Command.Session.NONE, "a", 1))).isEqualTo(new Result.Written(2, 1, true));
    }

    @Test
    void listReturnsPrefixMatchesInKeyOrderUpToLimit() {
        for (String k : List.of("b/2", "a/1", "b/1", "c", "b/3", "b")) {
            sm.apply(put(k, k));
        }
        Result.Listing l = (Result.Listing) sm.apply(new Command.ListPrefix("b/", 10));
        assertThat(l.entries()).extracting(Result.Entry::key).containsExactly("b/1", "b/2", "b/3");
        Result.Listing limited = (Result.Listing) sm.apply(new Command.ListPrefix("", 2));
        assertThat(limited.entries()).extracting(Result.Entry::key).containsExactly("a/1", "b");
        assertThat(limited.more()).as("cut at its limit").isTrue();
        assertThat(l.more()).as("every b/ key fitted").isFalse();
    }

    @Test
    void listPagesGoOnAfterTheLastKeyAndSayWhenTheyAreCut() {
        for (String k : List.of("b/2", "a/1", "b/1", "c", "b/3", "b", "b/4")) {
            sm.apply(put(k, k));
        }
        Result.Listing first = (Result.Listing) sm.apply(new Command.ListPrefix("b/", 2));
        assertThat(first.entries()).extracting(Result.Entry::key).containsExactly("b/1", "b/2");
        assertThat(first.more()).isTrue();
        Result.Listing second = (Result.Listing) sm.apply(new Command.ListPrefix("b/", "b/2", 2));
        assertThat(second.entries()).extracting(Result.Entry::key).containsExactly("b/3", "b/4");
        assertThat(second.more()).as("exactly the limit left: nothing follows").isFalse();
        // an after key that sorts before the prefix, or one that is gone, still starts in the right place
        assertThat(((Result.Listing) sm.apply(new Command.ListPrefix("b/", "a", 10))).entries()).hasSize(4);
        assertThat(((Result.Listing) sm.apply(new Command.ListPrefix("b/", "b/25", 10))).entries())
                .extracting(Result.Entry::key).containsExactly("b/3", "b/4");
        assertThat(((Result.Listing) sm.apply(new Command.ListPrefix("b/", "b/4", 10))).entries()).isEmpty();
    }

    @Test
    void noopRecordsItsTermWithoutChangingData() {
        sm.apply(put("a", "1"));
        assertThat(sm.apply(new Command.Noop(4, "n1"))).isEqualTo(new Result.Done(1));
        assertThat(sm.lastNoopTerm()).isEqualTo(4);
        assertThat(sm.revision()).isEqualTo(1);
    }

    @Test
    void storedValueIsNotAliasedToTheCommandsArray() {
        byte[] value = b("abc");
        sm.apply(new Command.Put(Command.Session.NONE, "a", value, Command.NO_REVISION_CHECK));
        value[0] = 'X';
        assertThat(new String(sm.peek("a"), StandardCharsets.UTF_8)).isEqualTo("abc");
    }

    @Test
    void retriedWriteOfASessionIsAppliedOnceAndAnsweredWithTheFirstResult() {
        Command.Session s = new Command.Session("client-1", 1, 0);
        Command first = new Command.Put(s, "counter", b("1"), Command.NO_REVISION_CHECK);
        Result r1 = sm.apply(first);
        sm.apply(put("other", "x"));
        Result r2 = sm.apply(first);
        assertThat(r2).isEqualTo(r1);
        assertThat(sm.revision()).isEqualTo(2);
    }

    @Test
    void sessionsOfDifferentClientsAreIndependent() {
        sm.apply(new Command.Put(new Command.Session("c1", 1, 0), "a", b("1"), Command.NO_REVISION_CHECK));
        Result r = sm.apply(new Command.Put(new Command.Session("c2", 1, 0), "a", b("2"), Command.NO_REVISION_CHECK));
        assertThat(r).isEqualTo(new Result.Written(2, 1, true));
    }

    @Test
    void acknowledgedSequenceIsRefusedInsteadOfReapplied() {
        sm.apply(new Command.Put(new Command.Session("c1", 1, 0), "a", b("1"), Command.NO_REVISION_CHECK));
        sm.apply(new Command.Put(new Command.Session("c1", 2, 2), "a", b("2"), Command.NO_REVISION_CHECK));
        Result late = sm.apply(new Command.Put(new Command.Session("c1", 1, 0), "a", b("1"), Command.NO_REVISION_CHECK));
        assertThat(late).isInstanceOf(Result.Rejected.class);
        assertThat(sm.revision()).isEqualTo(2);
    }

    @Test
    void anAckedBelowBeyondTheWritesOwnNumberCannotLockTheClientOut() {
        // seen: Baton-Acked-Below 2^63-1 made every later write of that client fail, forever
        Result first = sm.apply(new Command.Put(new Command.Session("c1", 1, Long.MAX_VALUE), "a", b("1"), Command.NO_REVISION_CHECK));
        Result next = sm.apply(new Command.Put(new Command.Session("c1", 2, 1), "a", b("2"), Command.NO_REVISION_CHECK));
        assertThat(next).isInstanceOf(Result.Written.class);
        // and exactly-once still holds: a late retry of write 1 gets its first answer, not a second write
        long revision = sm.revision();
        Result late = sm.apply(new Command.Put(new Command.Session("c1", 1, 0), "a", b("1"), Command.NO_REVISION_CHECK));
        assertThat(late).isEqualTo(first);
        assertThat(sm.revision()).isEqualTo(revision);
    }

    @Test
    void sessionTableIsBoundedPerClientAndRefusesForgottenSequences() {
        KvStateMachine small = new KvStateMachine(10, 3);
        for (int seq = 1; seq <= 5; seq++) {
            small.apply(new Command.Put(new Command.Session("c", seq, 0), "k" + seq, b("v"), Command.NO_REVISION_CHECK));
        }
        assertThat(small.apply(new Command.Put(new Command.Session("c", 1, 0), "k1", b("v"), Command.NO_REVISION_CHECK)))
                .isInstanceOf(Result.Rejected.class);
        assertThat(small.apply(new Command.Put(new Command.Session("c", 5, 0), "k5", b("v"), Command.NO_REVISION_CHECK)))
                .isEqualTo(new Result.Written(5, 0, false));
        assertThat(small.revision()).isEqualTo(5);
    }

    @Test
    void snapshotRoundTripRestoresStateAndSessions() throws IOException {
        sm.apply(put("a", "1"));
        sm.apply(new Command.Put(new Command.Session("c1", 1, 0), "b", b("2"), Command.NO_REVISION_CHECK));
        sm.apply(new Command.Noop(3, "n2"));
        KvStateMachine restored = restore(snapshot(sm));
        assertThat(restored.sameStateAs(sm)).isTrue();
        assertThat(restored.lastNoopTerm()).isEqualTo(3);
        // the session survived: the retried write is not applied again
        assertThat(restored.apply(new Command.Put(new Command.Session("c1", 1, 0), "b", b("2"), Command.NO_REVISION_CHECK)))
                .isEqualTo(new Result.Written(2, 0, false));
        assertThat(restored.revision()).isEqualTo(2);
    }

    @Test
    void snapshotReplacesExistingState() throws IOException {
        sm.apply(put("a", "1"));
        KvStateMachine other = new KvStateMachine();
        other.apply(put("zzz", "9"));
        other.apply(put("yyy", "9"));
        other.readSnapshot(new DataInputStream(new ByteArrayInputStream(snapshot(sm))));
        assertThat(other.sameStateAs(sm)).isTrue();
        assertThat(other.peek("zzz")).isNull();
    }

    @Test
    void replicasApplyingTheSameLogAgreeExactly() throws IOException {
        Random random = new Random(42);
        List<Command> log = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            String key = "k" + random.nextInt(50);
            int kind = random.nextInt(4);
            Command.Session s = random.nextBoolean() ? new Command.Session("c" + random.nextInt(3), 1 + random.nextInt(200), 0) : Command.Session.NONE;
            log.add(switch (kind) {
                case 0 -> new Command.Put(s, key, b("v" + i), Command.NO_REVISION_CHECK);
                case 1 -> new Command.Put(s, key, b("v" + i), random.nextInt(i + 1));
                case 2 -> new Command.Delete(s, key, random.nextBoolean() ? Command.NO_REVISION_CHECK : random.nextInt(i + 1));
                default -> new Command.Get(key);
            });
        }
        KvStateMachine a = new KvStateMachine();
        KvStateMachine b = new KvStateMachine();
        KvStateMachine c = new KvStateMachine();
        List<Result> answersA = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            byte[] entry = CommandCodec.encode(log.get(i));
            answersA.add(a.apply(CommandCodec.decodeCommand(entry, 0, entry.length)));
            Result rb = b.apply(CommandCodec.decodeCommand(entry, 0, entry.length));
            assertThat(CommandCodec.encode(rb)).isEqualTo(CommandCodec.encode(answersA.get(i)));
            if (i == 1_000) {
                c = restore(snapshot(b)); // a replica that joins from a snapshot half way
            } else if (i > 1_000) {
                c.apply(CommandCodec.decodeCommand(entry, 0, entry.length));
            }
        }
        assertThat(a.sameStateAs(b)).isTrue();
        assertThat(c.sameStateAs(a)).isTrue();
        assertThat(snapshot(a)).isEqualTo(snapshot(b)).isEqualTo(snapshot(c));
    }

    @Test
    void theMemberTableIsReplicatedStateAndSurvivesASnapshot() throws IOException {
        assertThat(sm.members().isEmpty()).isTrue();
        List<ClusterMember> three = List.of(new ClusterMember("n1", "127.0.0.11", 7800, 8080, ClusterMember.Status.VOTER),
                new ClusterMember("n4", "127.0.0.14", 7800, 8080, ClusterMember.Status.JOINING));
        assertThat(sm.apply(new Command.SetMembers(three, "add n4"))).isInstanceOf(Result.Done.class);
        assertThat(sm.members().members()).isEqualTo(three);
        assertThat(sm.members().lastChange()).isEqualTo("add n4");
        assertThat(sm.members().changes()).isEqualTo(1);
        KvStateMachine restored = restore(snapshot(sm));
        assertThat(restored.members()).isEqualTo(sm.members());
        assertThat(restored.sameStateAs(sm)).isTrue();
        KvStateMachine other = new KvStateMachine();
        assertThat(other.sameStateAs(sm)).isFalse(); // the table is part of the state compared
    }

    static byte[] snapshot(KvStateMachine m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            m.writeSnapshot(out);
        }
        return bytes.toByteArray();
    }

    static KvStateMachine restore(byte[] snapshot) throws IOException {
        KvStateMachine m = new KvStateMachine();
        m.readSnapshot(new DataInputStream(new ByteArrayInputStream(snapshot)));
        return m;
    }
}
