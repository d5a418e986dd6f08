package dev.baton.node.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandCodecTest {

    private static Command roundTrip(Command c) {
        byte[] bytes = CommandCodec.encode(c);
        byte[] padded = new byte[bytes.length + 7];
        System.arraycopy(bytes, 0, padded, 3, bytes.length);
        return CommandCodec.decodeCommand(padded, 3, bytes.length);
    }

    @Test
    void everyCommandSurvivesEncodingAtAnOffset() {
        Command.Put put = (Command.Put) roundTrip(new Command.Put(new Command.Session("cli", 9, 4), "k/ü", "välue".getBytes(StandardCharsets.UTF_8), 12));
        assertThat(put.session()).isEqualTo(new Command.Session("cli", 9, 4));
        assertThat(put.key()).isEqualTo("k/ü");
        assertThat(new String(put.value(), StandardCharsets.UTF_8)).isEqualTo("välue");
        assertThat(put.ifRevision()).isEqualTo(12);

        assertThat(roundTrip(new Command.Delete(Command.Session.NONE, "x", -1))).isEqualTo(new Command.Delete(Command.Session.NONE, "x", -1));
        assertThat(roundTrip(new Command.Get("g"))).isEqualTo(new Command.Get("g"));
        assertThat(roundTrip(new Command.ListPrefix("p/", 5))).isEqualTo(new Command.ListPrefix("p/", 5));
        assertThat(roundTrip(new Command.Noop(7, "n3"))).isEqualTo(new Command.Noop(7, "n3"));
        assertThat(roundTrip(new Command.OpenSession(-5L, 3_600_000, 10_000, 1_700_000_000_123L)))
                .isEqualTo(new Command.OpenSession(-5L, 3_600_000, 10_000, 1_700_000_000_123L));
    }

    @Test
    void aListingPageAfterAKeyRoundTripsAndTheFirstPageKeepsTheOldFormat() throws Exception {
        assertThat(roundTrip(new Command.ListPrefix("p/", "p/9 ü", 5))).isEqualTo(new Command.ListPrefix("p/", "p/9 ü", 5));
        // the first page is what nodes without paging write and read: type 4, prefix, limit
        java.io.ByteArrayOutputStream old = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(old)) {
            out.writeByte(4);
            out.writeUTF("p/");
            out.writeInt(5);
        }
        assertThat(CommandCodec.encode(new Command.ListPrefix("p/", 5))).isEqualTo(old.toByteArray());

        Result.Listing cut = new Result.Listing(List.of(new Result.Entry("p/1", new byte[] {1}, 3)), true);
        Result.Listing decoded = (Result.Listing) CommandCodec.decodeResult(CommandCodec.encode(cut));
        assertThat(decoded.more()).isTrue();
        assertThat(decoded.entries()).extracting(Result.Entry::key, Result.Entry::revision).containsExactly(org.assertj.core.groups.Tuple.tuple("p/1", 3L));
        Result.Listing whole = new Result.Listing(List.of(), false);
        assertThat(CommandCodec.decodeResult(CommandCodec.encode(whole))).isEqualTo(whole);
    }

    @Test
    void stampedWritesKeepTheirTimeAndUnstampedOnesStayInTheOldFormat() {
        Command.Put stamped = (Command.Put) roundTrip(new Command.Put(new Command.Session("1-00000000000000ff", 2, 1), "k",
                new byte[] {7}, -1, 1_700_000_000_000L));
        assertThat(stamped.atMs()).isEqualTo(1_700_000_000_000L);
        assertThat(stamped.session()).isEqualTo(new Command.Session("1-00000000000000ff", 2, 1));
        assertThat(roundTrip(new Command.Delete(Command.Session.NONE, "x", 3, 42)))
                .isEqualTo(new Command.Delete(Command.Session.NONE, "x", 3, 42));
        // an entry written before sessions were registered decodes as unstamped (replayed by the old rules)
        byte[] old = CommandCodec.encode(new Command.Delete(new Command.Session("cli", 1, 0), "x", -1));
        assertThat(old[0]).as("the old entry type byte").isEqualTo((byte) 2);
        assertThat(((Command.Delete) CommandCodec.decodeCommand(old, 0, old.length)).atMs()).isEqualTo(Command.UNSTAMPED);
    }

    @Test
    void emptySessionDecodesAsNone() {
        Command.Put put = (Command.Put) roundTrip(new Command.Put(Command.Session.NONE, "k", new byte[0], -1));
        assertThat(put.session().isNone()).isTrue();
        assertThat(put.value()).isEmpty();
    }

    @Test
    void everyResultSurvivesEncoding() {
        List<Result> results = List.of(
                new Result.Written(5, 3, true),
                new Result.RevisionMismatch(0),
                new Result.NotFound(),
                new Result.Done(11),
                new Result.Rejected("why"),
                new Result.SessionOpened("3-0123456789abcdef", 60_000),
                new Result.UnknownSession("9-0123456789abcdef", "expired"));
        for (Result r : results) {
            assertThat(CommandCodec.decodeResult(CommandCodec.encode(r))).isEqualTo(r);
        }
        Result.Value v = (Result.Value) CommandCodec.decodeResult(CommandCodec.encode(new Result.Value(new byte[] {1, 2, 3}, 4)));
        assertThat(v.value()).containsExactly(1, 2, 3);
        assertThat(v.revision()).isEqualTo(4);
        Result.Listing l = (Result.Listing) CommandCodec.decodeResult(CommandCodec.encode(
                new Result.Listing(List.of(new Result.Entry("a", new byte[] {9}, 1), new Result.Entry("b", new byte[0], 2)))));
        assertThat(l.entries()).extracting(Result.Entry::key).containsExactly("a", "b");
        assertThat(l.entries().get(0).value()).containsExactly(9);
    }

    @Test
    void unknownTypeAndTruncatedBytesAreRefused() {
        assertThatThrownBy(() -> CommandCodec.decodeCommand(new byte[] {99}, 0, 1))
                .isInstanceOf(CodecException.class).hasMessageContaining("unknown command type 99");
        byte[] put = CommandCodec.encode(new Command.Put(Command.Session.NONE, "key", new byte[100], -1));
        assertThatThrownBy(() -> CommandCodec.decodeCommand(put, 0, put.length - 10))
                .isInstanceOf(CodecException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> CommandCodec.decodeResult(new byte[0])).isInstanceOf(CodecException.class);
    }

    @Test
    void historyCarryingCommandsSurviveEncoding() {
        Command.Noop noop = new Command.Noop(9, "n2", new LeaderFacts(1_764_000_000_000L, "n1", 184, true, false));
        assertThat(roundTrip(noop)).isEqualTo(noop);
        Command.Noop waiting = new Command.Noop(10, "n3", new LeaderFacts(1L, "", -1, false, true));
        assertThat(roundTrip(waiting)).isEqualTo(waiting);
        assertThat(roundTrip(new Command.Handover(9, "n3", false, 77))).isEqualTo(new Command.Handover(9, "n3", false, 77));
        assertThat(roundTrip(new Command.Handover(9, "n3", true, 78))).isEqualTo(new Command.Handover(9, "n3", true, 78));
        assertThat(roundTrip(new Command.Approve(9, "n2", 79))).isEqualTo(new Command.Approve(9, "n2", 79));
    }

    /** Entries on disk written before the history: the same bytes as then, decoded as then. */
    @Test
    void oldNoopHandoverAndApproveEncodingsStillDecode() throws Exception {
        assertThat(CommandCodec.decodeCommand(old(5, 7, "n3"), 0, old(5, 7, "n3").length)).isEqualTo(new Command.Noop(7, "n3", LeaderFacts.NONE));
        assertThat(CommandCodec.decodeCommand(old(6, 4, "n1"), 0, old(6, 4, "n1").length)).isEqualTo(new Command.Approve(4, "n1", Command.UNSTAMPED));
        assertThat(CommandCodec.decodeCommand(old(8, 3, "n2"), 0, old(8, 3, "n2").length)).isEqualTo(new Command.Handover(3, "n2", true, Command.UNSTAMPED));
        // and a command without history facts is still written the old way
        assertThat(CommandCodec.encode(new Command.Noop(7, "n3"))).isEqualTo(old(5, 7, "n3"));
        assertThat(CommandCodec.encode(new Command.Handover(3, "n2"))).isEqualTo(old(8, 3, "n2"));
    }

    /** type byte, long, modified-UTF-8 string: the layout of NOOP (5), APPROVE (6) and HANDOVER (8). */
    private static byte[] old(int type, long n, String s) throws java.io.IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(type);
            out.writeLong(n);
            out.writeUTF(s);
        }
        return bytes.toByteArray();
    }

    @Test
    void aMemberTableSurvivesEncoding() {
        Command.SetMembers set = new Command.SetMembers(List.of(
                new ClusterMember("n1", "127.0.0.11", 7800, 8080, ClusterMember.Status.VOTER),
                new ClusterMember("n4", "host-ü", 7801, 8081, ClusterMember.Status.JOINING)), "add n4");
        assertThat(roundTrip(set)).isEqualTo(set);
    }
}
