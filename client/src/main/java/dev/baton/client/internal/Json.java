package dev.baton.client.internal;

import dev.baton.client.KvPage;
import dev.baton.client.wire.ListPaging;
import dev.baton.client.wire.PercentEncoding;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.CollectionType;
import dev.baton.client.wire.ErrorBody;
import dev.baton.client.wire.KvEntry;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Reads the wire records. Unknown fields are ignored so that nodes may add fields freely. Thread-safe. */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final CollectionType ENTRY_LIST =
            MAPPER.getTypeFactory().constructCollectionType(List.class, KvEntry.class);

    private Json() {}

    public static <T> T read(byte[] body, Class<T> type) throws IOException {
        T value = MAPPER.readValue(body, type);
        if (value == null) {
            throw new IOException("empty JSON body (null) where " + type.getSimpleName() + " was expected");
        }
        return value;
    }

    public static List<KvEntry> readEntries(byte[] body) throws IOException {
        List<KvEntry> entries = MAPPER.readValue(body, ENTRY_LIST);
        if (entries == null) {
            throw new IOException("empty JSON body (null) where a list of entries was expected");
        }
        return List.copyOf(entries);
    }

    /** A listing's answer as a page: the entries and where the next page starts ({@link ListPaging}). */
    public static KvPage readPage(Outcome.Answer answer) throws IOException {
        List<KvEntry> entries = readEntries(answer.body());
        boolean truncated = answer.header(ListPaging.TRUNCATED_HEADER).map(v -> v.trim().equals("true")).orElse(false);
        Optional<String> next = answer.header(ListPaging.NEXT_AFTER_HEADER).map(String::trim);
        if (truncated && next.isEmpty()) {
            throw new IOException("listing cut at its limit without " + ListPaging.NEXT_AFTER_HEADER);
        }
        try {
            return new KvPage(entries, truncated ? Optional.of(PercentEncoding.decode(next.get())) : Optional.empty());
        } catch (IllegalArgumentException e) {
            throw new IOException("unreadable " + ListPaging.NEXT_AFTER_HEADER + ": " + e.getMessage(), e);
        }
    }

    /** The error body of a non-2xx answer, or empty if the body is missing or not an error body. */
    public static Optional<ErrorBody> errorBody(byte[] body) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(MAPPER.readValue(body, ErrorBody.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
