package dev.baton.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    private final SseParser parser = new SseParser();

    private List<SseParser.Event> feed(String... lines) {
        List<SseParser.Event> events = new ArrayList<>();
        for (String line : lines) {
            parser.line(line).ifPresent(events::add);
        }
        return events;
    }

    @Test
    void leaderEventAsBatonSendsIt() {
        assertThat(feed("event: leader", "id: 7", "data: {\"id\":\"n2\",\"url\":\"http://h:1\",\"term\":7}", ""))
                .containsExactly(new SseParser.Event("leader", "{\"id\":\"n2\",\"url\":\"http://h:1\",\"term\":7}", "7"));
    }

    @Test
    void nothingIsDispatchedBeforeTheBlankLine() {
        assertThat(feed("event: leader", "data: x")).isEmpty();
        assertThat(feed("")).containsExactly(new SseParser.Event("leader", "x", ""));
    }

    @Test
    void multiLineDataIsJoinedWithNewlines() {
        assertThat(feed("data: a", "data:b", "data:  c", ""))
                .containsExactly(new SseParser.Event("message", "a\nb\n c", ""));
    }

    @Test
    void commentsAndKeepalivesAreIgnored() {
        assertThat(feed(": keepalive", "", ":", "event: no_leader", ": in between", "data: {\"term\":3}", ""))
                .containsExactly(new SseParser.Event("no_leader", "{\"term\":3}", ""));
    }

    @Test
    void blankLineWithoutDataDispatchesNothingAndResetsTheType() {
        assertThat(feed("event: leader", "id: 4", "", "data: plain", ""))
                .containsExactly(new SseParser.Event("message", "plain", "4"));
    }

    @Test
    void idPersistsAcrossEventsAndIdWithNulIsIgnored() {
        assertThat(feed("id: 5", "data: a", "", "data: b", "", "id: 6\0", "data: c", ""))
                .extracting(SseParser.Event::id)
                .containsExactly("5", "5", "5");
    }

    @Test
    void lineWithoutColonIsAFieldWithEmptyValueAndUnknownFieldsAreIgnored() {
        assertThat(feed("data", "retry: 1000", "foo: bar", "")).containsExactly(new SseParser.Event("message", "", ""));
    }

    @Test
    void leadingByteOrderMarkIsDropped() {
        assertThat(feed("\uFEFFevent: leader", "data: x", "")).extracting(SseParser.Event::type).containsExactly("leader");
    }
}
