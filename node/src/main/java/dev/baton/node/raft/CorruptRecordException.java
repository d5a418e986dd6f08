package dev.baton.node.raft;

import java.io.IOException;
import java.nio.file.Path;

/** A log record that fails its checksum (or is malformed) when read; names file, offset and index. */
final class CorruptRecordException extends IOException {

    private final long index;

    CorruptRecordException(Path file, long offset, long index, String problem) {
        super(file + ": log entry " + index + " at byte offset " + offset + " is corrupt: " + problem);
        this.index = index;
    }

    long index() {
        return index;
    }
}
