package dev.baton.node.http;

import dev.baton.client.wire.ErrorCodes;
import dev.baton.node.config.NodeConfig;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Pure parsing of request paths and query strings; every refusal is an {@link ApiException} with status 400. */
final class Paths {

    private Paths() {}

    /** Percent-decodes a raw path segment as UTF-8 ('+' stays '+'); malformed escapes or UTF-8 are refused. */
    static String decodePath(String raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw ApiException.badRequest(ErrorCodes.INVALID_KEY, "malformed percent-escape at the end of '" + raw + "'");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw ApiException.badRequest(ErrorCodes.INVALID_KEY, "malformed percent-escape '" + raw.substring(i, i + 3) + "'");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest(ErrorCodes.INVALID_KEY, "key is not valid UTF-8");
        }
    }

    /** Checks a decoded key: 1..{@link NodeConfig#MAX_KEY_BYTES} UTF-8 bytes, no control characters. */
    static String validKey(String key) {
        if (key.isEmpty()) {
            throw ApiException.badRequest(ErrorCodes.INVALID_KEY, "key is empty: use /v1/kv/{key}");
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > NodeConfig.MAX_KEY_BYTES) {
            throw ApiException.badRequest(ErrorCodes.INVALID_KEY,
                    "key is " + bytes + " bytes long; the limit is " + NodeConfig.MAX_KEY_BYTES);
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw ApiException.badRequest(ErrorCodes.INVALID_KEY, "key contains control character 0x" + Integer.toHexString(c));
            }
        }
        return key;
    }

    static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                params.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(ErrorCodes.INVALID_PARAMETER, "malformed query parameter '" + pair + "'");
            }
        }
        return params;
    }

    /** A non-negative long parameter, or {@code absent} if missing. */
    static long nonNegativeLong(Map<String, String> params, String name, long absent) {
        return nonNegativeLong(name, params.get(name), absent);
    }

    /** {@code value} (of a parameter or header called {@code name}) as a non-negative long, or {@code absent} if null. */
    static long nonNegativeLong(String name, String value, long absent) {
        if (value == null) {
            return absent;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(ErrorCodes.INVALID_PARAMETER, name + "='" + value + "' is not a non-negative integer");
        }
    }

    static boolean flag(Map<String, String> params, String name) {
        String v = params.get(name);
        if (v == null) {
            return false;
        }
        if (v.isEmpty() || v.equalsIgnoreCase("true") || v.equals("1")) {
            return true;
        }
        if (v.equalsIgnoreCase("false") || v.equals("0")) {
            return false;
        }
        throw ApiException.badRequest(ErrorCodes.INVALID_PARAMETER, name + "='" + v + "' is not true or false");
    }
}
