package dev.baton.node;

import java.util.concurrent.CompletionException;

/** Unwrapping of failures that pass through {@link java.util.concurrent.CompletableFuture} stages. */
public final class Failures {

    private Failures() {}

    /** The failure itself, without the {@link CompletionException} a dependent stage wraps it in. */
    public static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
