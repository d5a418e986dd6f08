package dev.baton.node.security;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Pure: parses the text of a {@code --token-file}. One token per line,
 * {@code NAME ROLE sha256:HEX} (HEX: the 64 hex digits of the SHA-256 of the token, as {@code baton
 * token create} prints it); blank lines and lines starting with {@code #} are ignored. Names and
 * hashes must be unique. The file never holds a token itself, so reading it does not let one in.
 */
public final class TokenFile {

    private static final String PREFIX = "sha256:";

    private TokenFile() {}

    /** @throws TokenFileException naming the first bad line */
    public static Tokens parse(String text) throws TokenFileException {
        List<Tokens.Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int n = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 3) {
                throw new TokenFileException(n, "expected 'NAME ROLE sha256:HEX', got " + f.length + " field(s)");
            }
            AccessRole role;
            try {
                role = AccessRole.parse(f[1]);
            } catch (IllegalArgumentException e) {
                throw new TokenFileException(n, e.getMessage());
            }
            String hash = f[2].toLowerCase(java.util.Locale.ROOT);
            if (!hash.startsWith(PREFIX) || hash.length() != PREFIX.length() + 64 || !isHex(hash.substring(PREFIX.length()))) {
                // the value is not echoed: a bare token pasted here by mistake must not reach the log
                throw new TokenFileException(n, "third field must be sha256: and 64 hex digits (the hash, never the token itself)");
            }
            if (!names.add(f[0])) {
                throw new TokenFileException(n, "duplicate name '" + f[0] + "'");
            }
            if (!hashes.add(hash)) {
                throw new TokenFileException(n, "the same token hash appears twice");
            }
            entries.add(new Tokens.Entry(f[0], role, HexFormat.of().parseHex(hash.substring(PREFIX.length()))));
        }
        return new Tokens(entries);
    }

    /** The line to add for a new token. */
    public static String line(String name, AccessRole role, String token) {
        return name + " " + role.label() + " " + Tokens.hashed(token);
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
