package dev.baton.client.wire;

/**
 * One key of the replicated map. {@code value} is the value's bytes decoded as UTF-8 (use
 * {@code ?raw=true} for the exact bytes); {@code revision} is the global revision of the write that
 * last changed the key.
 */
public record KvEntry(String key, String value, long revision) {}
