package dev.baton.node.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The session table on its own: the id format, and that expiry drops sessions without a write naming them. */
class SessionTableTest {

    private static Command.Session write(String id, long seq) {
        return new Command.Session(id, seq, 0);
    }

    @Test
    void issuedIdsAreWellFormedAndClientChosenOnesMostlyAreNot() {
        assertThat(SessionTable.format(12, -1L)).isEqualTo("12-ffffffffffffffff");
        assertThat(SessionTable.wellFormed(SessionTable.format(1, 0))).isTrue();
        assertThat(SessionTable.wellFormed("3d9c1f3e-6f1a-4d3b-9a55-2b8c1d0e7f11")).as("a UUID").isFalse();
        assertThat(SessionTable.wellFormed("-0000000000000000")).isFalse();
        assertThat(SessionTable.wellFormed("1-000000000000000G")).isFalse();
        assertThat(SessionTable.wellFormed("1-00000000000000000")).isFalse();
    }

    @Test
    void expiryDropsIdleSessionsOldestFirstAndKeepsTheOthers() {
        SessionTable table = new SessionTable(10);
        String a = table.open(1, 1_000, 10, 0);
        String b = table.open(2, 1_000, 10, 500);
        table.expire(1_200);
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.lookup(write(a, 1), 1_200)).isInstanceOf(SessionTable.Unknown.class);
        assertThat(table.lookup(write(b, 1), 1_200)).isInstanceOf(SessionTable.Fresh.class);
        assertThat(table.opened()).isEqualTo(2);
    }

    @Test
    void aDuplicateIsAnsweredWithTheRecordedResult() {
        SessionTable table = new SessionTable(10);
        String a = table.open(1, 1_000, 10, 0);
        assertThat(table.lookup(write(a, 1), 10)).isInstanceOf(SessionTable.Fresh.class);
        table.record(write(a, 1), new Result.Written(4, 0, false));
        assertThat(table.lookup(write(a, 1), 20)).isEqualTo(new SessionTable.Duplicate(new Result.Written(4, 0, false)));
    }
}
