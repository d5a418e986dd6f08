package dev.baton.node.config;

/**
 * Failure-detection timings of the cluster transport (JGroups). A crashed peer is seen at once by
 * FD_SOCK2 (its socket closes); a hung or cut-off peer is suspected after {@code fdTimeoutMs}
 * without heartbeats (FD_ALL3, checked every {@code fdIntervalMs}), and the suspicion is verified
 * for {@code verifySuspectMs} (VERIFY_SUSPECT2) before the peer is removed from the view. Split
 * groups find each other again through MERGE3 every {@code mergeMinMs}-{@code mergeMaxMs}.
 */
public record Detection(long fdTimeoutMs, long fdIntervalMs, long verifySuspectMs, long mergeMinMs, long mergeMaxMs) {

    /** Defaults: a silent peer is removed after 600 + 150 ms (plus up to one 100 ms check interval). */
    public static final Detection DEFAULTS = new Detection(600, 100, 150, 500, 1000);

    public Detection {
        if (fdIntervalMs < 10) {
            throw new ConfigException("--fd-interval-ms", fdIntervalMs + " is below 10");
        }
        if (fdTimeoutMs < 2 * fdIntervalMs) {
            throw new ConfigException(
                    "--fd-timeout-ms",
                    fdTimeoutMs + " must be at least twice --fd-interval-ms (" + fdIntervalMs + ")");
        }
        if (verifySuspectMs < 0) {
            throw new ConfigException("--verify-suspect-ms", verifySuspectMs + " is negative");
        }
        if (mergeMinMs < 100) {
            throw new ConfigException("--merge-min-ms", mergeMinMs + " is below 100");
        }
        if (mergeMaxMs <= mergeMinMs) {
            throw new ConfigException(
                    "--merge-max-ms", mergeMaxMs + " must be greater than --merge-min-ms (" + mergeMinMs + ")");
        }
    }
}
