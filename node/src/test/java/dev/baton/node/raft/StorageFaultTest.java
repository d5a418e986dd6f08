package dev.baton.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.node.health.StorageHealth;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.jgroups.protocols.raft.Log;
import org.jgroups.protocols.raft.LogEntries;
import org.jgroups.protocols.raft.LogEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a node does when a write of its log fails. The failures are real I/O errors (a closed file
 * channel); the full disk and the immutable file are covered on real processes by DiskFaultIT.
 */
class StorageFaultTest {

    @TempDir
    Path tmp;

    private ChecksummedLog log;

    /** RAFT with a log set by hand: the follower's append path without a JGroups stack. */
    static final class FollowerRaft extends BatonRaft {
        FollowerRaft(Log l) {
            log_impl = l;
        }

        boolean appendAt(long index, LogEntries entries) {
            return append(index, entries);
        }
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    private ChecksummedLog open() throws Exception {
        ChecksummedLog l = log == null ? new ChecksummedLog() : log;
        l.init(tmp.resolve("n2.log").toString(), Map.of());
        log = l;
        return l;
    }

    private static LogEntries entry(long term, String value) {
        return new LogEntries().add(new LogEntry(term, value.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aFollowerDoesNotAcknowledgeEntriesItCouldNotStore() throws Exception {
        // jgroups-raft 1.1.4's RAFT.append returned true whatever the log stored, and the follower
        // answered OK for prev_index + n: a full disk acknowledged writes it did not hold
        ChecksummedLog l = open();
        l.currentTerm(3);
        FollowerRaft raft = new FollowerRaft(l);
        assertThat(raft.appendAt(1, entry(3, "a"))).isTrue();

        l.close(); // every later write fails with an I/O error
        assertThat(raft.appendAt(2, entry(3, "b"))).isFalse();
        assertThat(raft.lastAppended()).isEqualTo(1);
        assertThat(l.health().fault().part()).isEqualTo(StorageHealth.Part.LOG);
        assertThat(l.health().fault().reason()).contains("appending entries 2..2");
    }

    @Test
    void aLeaderThatFailedToStoreItsEntriesStoresNoMoreInThatTermButFollowsAgain() throws Exception {
        ChecksummedLog l = open();
        l.currentTerm(3);
        assertThat(l.append(1, entry(3, "a"))).isEqualTo(1);

        l.close();
        assertThat(l.append(2, entry(3, "b"))).isEqualTo(1); // failed: the batch was already sent to the followers
        assertThat(l.health().healthy()).isFalse();

        open(); // the disk works again; same term
        // RAFT would number its next batch 2 again: different entries at an index the followers hold in term 3
        assertThat(l.append(2, entry(3, "c"))).isEqualTo(1);
        assertThat(l.get(2)).isNull();

        // as a follower it stores what a leader sends, and is healthy again
        assertThat(l.appendReplicated(2, entry(3, "b"))).isEqualTo(2);
        assertThat(l.health().healthy()).isTrue();

        // and may lead a later term
        l.currentTerm(4);
        assertThat(l.append(3, entry(4, "d"))).isEqualTo(3);
    }

    @Test
    void aFailedVoteWriteIsAFaultUntilTheProbeRewritesTheMetadata() throws Exception {
        ChecksummedLog l = open();
        l.currentTerm(3);
        l.close();
        try {
            l.votedFor(org.jgroups.util.UUID.randomUUID());
        } catch (RuntimeException expected) {
            // RAFT must not send a vote it could not store
        }
        assertThat(l.votedFor()).isNull();
        assertThat(l.health().fault().part()).isEqualTo(StorageHealth.Part.METADATA);

        open();
        assertThat(l.health().healthy()).isFalse(); // nothing wrote the metadata since
        l.retryIdleWrites();
        assertThat(l.health().healthy()).isTrue();
        assertThat(l.currentTerm()).isEqualTo(3);
    }
}
