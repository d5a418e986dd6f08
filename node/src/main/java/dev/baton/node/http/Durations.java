package dev.baton.node.http;

import dev.baton.client.wire.ErrorCodes;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations such as {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h} or plain milliseconds. */
final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h)?");

    private Durations() {}

    /** {@code text} as milliseconds; at most 12 digits, so no unit overflows a long. */
    static long parseMillis(String name, String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw ApiException.badRequest(ErrorCodes.INVALID_PARAMETER, name + "='" + text + "' is not a duration like 500ms, 30s, 10m or 2h");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n;
        };
    }

    /** As {@link #parseMillis(String, String)}, refused with 400 above {@code maxMs} ({@code maxText} names it for people). */
    static long parseMillis(String name, String text, long maxMs, String maxText) {
        long ms = parseMillis(name, text);
        if (ms > maxMs) {
            throw ApiException.badRequest(ErrorCodes.INVALID_PARAMETER, name + "='" + text + "' is longer than the maximum of " + maxText);
        }
        return ms;
    }
}
