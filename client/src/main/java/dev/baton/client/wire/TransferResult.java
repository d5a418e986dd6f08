package dev.baton.client.wire;

/**
 * Answer of {@code POST /v1/admin/transfer}: leadership moved from {@code from} (leader of {@code
 * fromTerm}) to {@code to}, which leads {@code term}.
 */
public record TransferResult(String from, String to, long fromTerm, long term) {}
