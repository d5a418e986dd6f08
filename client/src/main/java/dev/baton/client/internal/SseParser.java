package dev.baton.client.internal;

import java.util.Optional;

/**
 * Parses a {@code text/event-stream} line by line (the server-sent events format of the WHATWG HTML
 * standard, "Interpreting an event stream"). Feed it each line without its line terminator; a
 * blank line dispatches the event collected so far. Pure; not thread-safe (one per stream).
 *
 * <ul>
 *   <li>{@code :comment} lines are ignored (Baton sends {@code : keepalive}).
 *   <li>{@code field: value} — one space after the colon is dropped; a line without a colon is a
 *       field with an empty value.
 *   <li>{@code event} sets the type (default {@code message}); {@code data} lines are joined with
 *       {@code \n}; {@code id} sets the last event id, which stays for later events (an id
 *       containing NUL is ignored); other fields (e.g. {@code retry}) are ignored.
 *   <li>A blank line with no data dispatches nothing and resets the type.
 * </ul>
 */
public final class SseParser {

    /** One dispatched event; {@code id} is the last event id seen on this stream ("" if none). */
    public record Event(String type, String data, String id) {}

    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String type = "";
    private String lastId = "";
    private boolean first = true;

    /** Feeds one line; returns the event it completes, if it is a blank line ending one. */
    public Optional<Event> line(String line) {
        if (first) {
            first = false;
            if (line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
        }
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.charAt(0) == ':') {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> type = value;
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastId = value;
                }
            }
            default -> {
                // "retry" and unknown fields are ignored
            }
        }
        return Optional.empty();
    }

    private Optional<Event> dispatch() {
        Optional<Event> event = hasData
                ? Optional.of(new Event(type.isEmpty() ? "message" : type, data.toString(), lastId))
                : Optional.empty();
        data.setLength(0);
        hasData = false;
        type = "";
        return event;
    }
}
