package dev.baton.node.security;

import java.util.Locale;

/** What a token may do. Ordered: each role includes the ones before it (admin ⊇ write ⊇ read). */
public enum AccessRole {
    READ,
    WRITE,
    ADMIN;

    /** Whether a token with this role may do what {@code needed} allows. */
    public boolean covers(AccessRole needed) {
        return compareTo(needed) >= 0;
    }

    /** The lower-case name used in token files and error messages. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static AccessRole parse(String s) {
        for (AccessRole r : values()) {
            if (r.label().equals(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + s + "' (use read, write or admin)");
    }
}
