package dev.baton.node.backup;

/** A file that is no sound backup; the message says why (the caller adds the file's name). */
public final class BackupFormatException extends RuntimeException {

    public BackupFormatException(String message) {
        super(message);
    }
}
