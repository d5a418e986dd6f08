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

/**
 * Client sessions registered by the state machine (Raft dissertation §6.3): ids issued, never
 * reused; expiry by log time (the leaders' stamps), eviction beyond the cap, and a write naming a
 * session the state machine does not hold refused rather than applied.
 */
class SessionsTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long HOUR = 3_600_000;

    private final KvStateMachine sm = new KvStateMachine();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String open(KvStateMachine m, long atMs, long timeoutMs, int max) {
        return ((Result.SessionOpened) m.apply(new Command.OpenSession(new Random(atMs).nextLong(), timeoutMs, max, atMs))).sessionId();
    }

    private static Command put(String session, long seq, String key, String value, long atMs) {
        return new Command.Put(new Command.Session(session, seq, 0), key, b(value), Command.NO_REVISION_CHECK, atMs);
    }

    @Test
    void aSessionDeduplicatesItsRetriedWrites() {
        String s = open(sm, T0, HOUR, 10);
        Result first = sm.apply(put(s, 1, "k", "v1", T0 + 1));
        Result retry = sm.apply(put(s, 1, "k", "v1-again", T0 + 2));
        assertThat(first).isEqualTo(new Result.Written(1, 0, false));
        assertThat(retry).isEqualTo(first);
        assertThat(sm.revision()).isEqualTo(1);
        assertThat(sm.peek("k")).isEqualTo(b("v1"));
    }

    @Test
    void idsAreNeverReusedAndDifferWithTheNonce() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(open(sm, T0 + i, HOUR, 2)); // a cap of 2: older ones are evicted, their numbers not reissued
        }
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(ids).allSatisfy(id -> assertThat(SessionTable.wellFormed(id)).as(id).isTrue());
        assertThat(ids.get(4)).startsWith("5-");
        assertThat(sm.sessionsOpened()).isEqualTo(5);
        assertThat(sm.liveSessions()).isEqualTo(2);
        KvStateMachine other = new KvStateMachine();
        String sameNumber = ((Result.SessionOpened) other.apply(new Command.OpenSession(12345, HOUR, 2, T0))).sessionId();
        assertThat(sameNumber).startsWith("1-").isNotEqualTo(ids.get(0));
    }

    @Test
    void aWriteNamingAnUnknownSessionIsRefusedAndNotApplied() {
        Result chosen = sm.apply(put("my-own-client-id", 1, "k", "v", T0));
        Result neverOpened = sm.apply(put("7-00000000000000aa", 1, "k", "v", T0));
        assertThat(chosen).isInstanceOfSatisfying(Result.UnknownSession.class,
                u -> assertThat(u.reason()).contains("not a session this cluster issued"));
        assertThat(neverOpened).isInstanceOfSatisfying(Result.UnknownSession.class,
                u -> assertThat(u.reason()).contains("7-00000000000000aa").contains("expired"));
        assertThat(sm.revision()).isZero();
        assertThat(sm.peek("k")).isNull();
    }

    @Test
    void writesWithoutASessionStillApplyEachTime() {
        Command plain = new Command.Put(Command.Session.NONE, "k", b("v"), Command.NO_REVISION_CHECK, T0);
        sm.apply(plain);
        sm.apply(plain);
        assertThat(sm.revision()).isEqualTo(2);
    }

    @Test
    void aSessionUnusedForLongerThanItsTimeoutExpiresByLogTime() {
        String s = open(sm, T0, 1_000, 10);
        assertThat(sm.apply(put(s, 1, "k", "v1", T0 + 1_000))).isInstanceOf(Result.Written.class); // used: timer restarts
        assertThat(sm.apply(put(s, 2, "k", "v2", T0 + 2_000))).as("exactly the timeout since last use: still live")
                .isInstanceOf(Result.Written.class);
        // another client's write moves log time past the timeout
        sm.apply(new Command.Put(Command.Session.NONE, "other", b("x"), Command.NO_REVISION_CHECK, T0 + 3_001));
        assertThat(sm.liveSessions()).as("expired at the next stamped command").isZero();
        long revision = sm.revision();
        assertThat(sm.apply(put(s, 2, "k", "v2", T0 + 3_002))).as("retry of an applied write after expiry")
                .isInstanceOf(Result.UnknownSession.class);
        assertThat(sm.revision()).isEqualTo(revision);
    }

    @Test
    void logTimeNeverGoesBackUnderALeaderWithASlowerClock() {
        String s = open(sm, T0 + 10_000, 1_000, 10);
        sm.apply(put(s, 1, "k", "v", T0)); // new leader, clock 10 s behind
        assertThat(sm.logTimeMs()).isEqualTo(T0 + 10_000);
        sm.apply(put(s, 2, "k", "v", T0 + 10_500));
        assertThat(sm.apply(put(s, 3, "k", "v", T0 + 11_400))).as("used at log time 10.5 s, not at the stamp T0")
                .isInstanceOf(Result.Written.class);
    }

    @Test
    void theSessionsExpireByTheirOwnTimeoutEvenBehindALongerOne() {
        String longLived = open(sm, T0, HOUR, 10);
        String shortLived = open(sm, T0 + 1, 1_000, 10);
        assertThat(sm.apply(put(shortLived, 1, "k", "v", T0 + 5_000))).isInstanceOf(Result.UnknownSession.class);
        assertThat(sm.apply(put(longLived, 1, "k", "v", T0 + 5_000))).isInstanceOf(Result.Written.class);
    }

    @Test
    void openingBeyondTheCapEvictsTheLeastRecentlyUsedWhoseRetryIsThenRefused() {
        // the finding: after 10,016 clients the table forgot the earliest, and its retried write was applied again
        String early = open(sm, T0, HOUR, 3);
        String b = open(sm, T0 + 1, HOUR, 3);
        assertThat(sm.apply(put(early, 1, "k", "early", T0 + 2))).isEqualTo(new Result.Written(1, 0, false));
        String c = open(sm, T0 + 3, HOUR, 3);
        sm.apply(put(b, 1, "kb", "b", T0 + 4)); // b used after early: early is the least recently used
        open(sm, T0 + 5, HOUR, 3);
        assertThat(sm.liveSessions()).isEqualTo(3);
        assertThat(sm.apply(put(early, 1, "k", "early", T0 + 6))).isInstanceOf(Result.UnknownSession.class);
        assertThat(sm.apply(put(b, 1, "kb", "b", T0 + 7))).as("b was not evicted").isEqualTo(new Result.Written(2, 0, false));
        assertThat(sm.apply(put(c, 1, "kc", "c", T0 + 8))).isEqualTo(new Result.Written(3, 0, false));
        assertThat(sm.revision()).isEqualTo(3);
    }

    @Test
    void answersPerSessionAreBoundedAndAForgottenSequenceIsRefused() {
        KvStateMachine small = new KvStateMachine(10, 3);
        String s = open(small, T0, HOUR, 10);
        for (int seq = 1; seq <= 5; seq++) {
            small.apply(put(s, seq, "k" + seq, "v", T0 + seq));
        }
        assertThat(small.apply(put(s, 1, "k1", "v", T0 + 9))).isInstanceOf(Result.Rejected.class);
        assertThat(small.apply(put(s, 5, "k5", "v", T0 + 9))).isEqualTo(new Result.Written(5, 0, false));
        assertThat(small.revision()).isEqualTo(5);
    }

    @Test
    void sessionsTheirAnswersAndLogTimeSurviveASnapshot() throws IOException {
        String s = open(sm, T0, 1_000, 2);
        String t = open(sm, T0 + 1, 1_000, 2);
        Result first = sm.apply(put(s, 1, "k", "v", T0 + 500));
        KvStateMachine restored = restore(snapshot(sm));
        assertThat(restored.sameStateAs(sm)).isTrue();
        assertThat(restored.logTimeMs()).isEqualTo(T0 + 500);
        assertThat(restored.apply(put(s, 1, "k", "v", T0 + 600))).isEqualTo(first);
        assertThat(restored.revision()).isEqualTo(1);
        // least-recently-used order survived: t (used at T0 + 1) is evicted, not s
        open(restored, T0 + 700, 1_000, 2);
        assertThat(restored.apply(put(t, 1, "kt", "v", T0 + 800))).isInstanceOf(Result.UnknownSession.class);
        assertThat(restored.apply(put(s, 2, "k", "v2", T0 + 800))).isInstanceOf(Result.Written.class);
        // and the counter: the next id is number 4, not a reissued one
        assertThat(open(restored, T0 + 900, 1_000, 2)).startsWith("4-");
    }

    @Test
    void aVersion2SnapshotIsReadWithItsLegacyTableAndNoSessions() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(2);
            out.writeLong(1); // revision
            out.writeLong(4); // last no-op term
            out.writeInt(1);
            out.writeUTF("k");
            out.writeLong(1);
            CommandCodec.writeBytes(out, b("v"));
            out.writeInt(1); // legacy table: client "old" answered seq 1
            out.writeUTF("old");
            out.writeLong(0);
            out.writeInt(1);
            out.writeLong(1);
            CommandCodec.writeBytes(out, CommandCodec.encode(new Result.Written(1, 0, false)));
            ClusterControl.INITIAL.writeTo(out);
        }
        KvStateMachine m = restore(bytes.toByteArray());
        assertThat(m.revision()).isEqualTo(1);
        assertThat(m.liveSessions()).isZero();
        // an old-format retry in the log replays as it was first applied: de-duplicated
        assertThat(m.apply(new Command.Put(new Command.Session("old", 1, 0), "k", b("v"), Command.NO_REVISION_CHECK)))
                .isEqualTo(new Result.Written(1, 0, false));
        assertThat(m.revision()).isEqualTo(1);
        // the same client-chosen id in a new (stamped) write is not a session: refused
        assertThat(m.apply(put("old", 2, "k", "v", T0))).isInstanceOf(Result.UnknownSession.class);
    }

    @Test
    void replicasApplyingTheSameLogOfSessionsAgreeExactly() throws IOException {
        Random random = new Random(7);
        List<Command> log = new ArrayList<>();
        List<String> issued = new ArrayList<>();
        KvStateMachine a = new KvStateMachine();
        KvStateMachine bReplica = new KvStateMachine();
        KvStateMachine c = null;
        long now = T0;
        for (int i = 0; i < 3_000; i++) {
            now += random.nextInt(300) - 50; // leaders' clocks jitter, even backwards
            Command command;
            if (issued.isEmpty() || random.nextInt(10) == 0) {
                command = new Command.OpenSession(random.nextLong(), 1_000 + random.nextInt(3) * 1_000, 5, now);
            } else {
                String s = random.nextInt(20) == 0 ? "junk" : issued.get(random.nextInt(issued.size()));
                command = put(s, 1 + random.nextInt(20), "k" + random.nextInt(10), "v" + i, now);
            }
            byte[] entry = CommandCodec.encode(command);
            Result ra = a.apply(CommandCodec.decodeCommand(entry, 0, entry.length));
            Result rb = bReplica.apply(CommandCodec.decodeCommand(entry, 0, entry.length));
            assertThat(CommandCodec.encode(rb)).isEqualTo(CommandCodec.encode(ra));
            if (ra instanceof Result.SessionOpened o) {
                issued.add(o.sessionId());
            }
            if (i == 1_500) {
                c = restore(snapshot(bReplica));
            } else if (c != null) {
                assertThat(CommandCodec.encode(c.apply(CommandCodec.decodeCommand(entry, 0, entry.length))))
                        .isEqualTo(CommandCodec.encode(ra));
            }
        }
        assertThat(a.sameStateAs(bReplica)).isTrue();
        assertThat(snapshot(a)).isEqualTo(snapshot(bReplica)).isEqualTo(snapshot(c));
    }

    private static byte[] snapshot(KvStateMachine m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            m.writeSnapshot(out);
        }
        return bytes.toByteArray();
    }

    private static KvStateMachine restore(byte[] snapshot) throws IOException {
        KvStateMachine m = new KvStateMachine();
        m.readSnapshot(new DataInputStream(new ByteArrayInputStream(snapshot)));
        return m;
    }
}
