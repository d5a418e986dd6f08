package dev.baton.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.client.wire.ErrorBody;
import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.SessionInfo;
import dev.baton.client.wire.WriteResult;
import dev.baton.node.statemachine.Result;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultMappingTest {

    @Test
    void committedWriteIs200WithRevisionAndTerm() {
        ResultMapping.HttpAnswer a = ResultMapping.write("k", 7, new Result.Written(12, 3, true));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEqualTo(new WriteResult("k", 12, 3, true, 7));
    }

    @Test
    void casConflictIs409WithCurrentRevision() {
        ResultMapping.HttpAnswer a = ResultMapping.write("k", 7, new Result.RevisionMismatch(5));
        assertThat(a.status()).isEqualTo(409);
        ErrorBody body = (ErrorBody) a.body();
        assertThat(body.error()).isEqualTo("revision_mismatch");
        assertThat(body.currentRevision()).isEqualTo(5);
    }

    @Test
    void rejectedSessionWriteIs400() {
        ResultMapping.HttpAnswer a = ResultMapping.write("k", 7, new Result.Rejected("old seq"));
        assertThat(a.status()).isEqualTo(400);
        assertThat(((ErrorBody) a.body()).message()).isEqualTo("old seq");
    }

    @Test
    void aWriteOfAnUnknownSessionIs410SessionExpiredAndSaysItWasNotApplied() {
        ResultMapping.HttpAnswer a = ResultMapping.write("k", 7, new Result.UnknownSession("3-00000000000000aa", "session 3-00000000000000aa is unknown"));
        assertThat(a.status()).isEqualTo(410);
        ErrorBody body = (ErrorBody) a.body();
        assertThat(body.error()).isEqualTo("session_expired");
        assertThat(body.message()).contains("3-00000000000000aa").contains("not applied").contains("POST /v1/sessions");
    }

    @Test
    void anOpenedSessionIs200WithItsIdAndTimeout() {
        ResultMapping.HttpAnswer a = ResultMapping.session(new Result.SessionOpened("1-00000000000000ff", 60_000));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEqualTo(new SessionInfo("1-00000000000000ff", 60_000));
    }

    @Test
    void readsMapToEntryOr404() {
        ResultMapping.HttpAnswer found = ResultMapping.read("k", new Result.Value("v".getBytes(StandardCharsets.UTF_8), 4));
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body()).isEqualTo(new KvEntry("k", "v", 4));
        ResultMapping.HttpAnswer missing = ResultMapping.read("k", new Result.NotFound());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(((ErrorBody) missing.body()).error()).isEqualTo("key_not_found");
    }

    @Test
    void listMapsEntriesInOrder() {
        ResultMapping.HttpAnswer a = ResultMapping.list(new Result.Listing(List.of(
                new Result.Entry("a", new byte[] {'1'}, 1), new Result.Entry("b", new byte[] {'2'}, 2))));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEqualTo(List.of(new KvEntry("a", "1", 1), new KvEntry("b", "2", 2)));
    }

    @Test
    void aWrongAnswerTypeIs500NotASilentSuccess() {
        assertThat(ResultMapping.write("k", 1, new Result.NotFound()).status()).isEqualTo(500);
        assertThat(ResultMapping.read("k", new Result.Done(1)).status()).isEqualTo(500);
    }
}
