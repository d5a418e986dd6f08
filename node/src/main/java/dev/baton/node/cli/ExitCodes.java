package dev.baton.node.cli;

import dev.baton.client.AccessDeniedException;
import dev.baton.client.InvalidRequestException;
import dev.baton.client.NoLeaderException;
import dev.baton.client.OutcomeUnknownException;
import dev.baton.client.RevisionMismatchException;

/** Exit codes of the operator commands; every command's help lists the ones it uses. */
final class ExitCodes {

    static final int OK = 0;
    /** Anything else: an unexpected answer, an unreadable file, or (status) no ACTIVE among answering nodes. */
    static final int FAILURE = 1;
    /** Bad command line, bad seed URL, or a request the node rejected as invalid (e.g. bad key). */
    static final int USAGE = 2;
    /** No active node found / no node answered within the timeout. */
    static final int NO_LEADER = 3;
    /** get: the key does not exist. */
    static final int NOT_FOUND = 4;
    /** cas: the key's revision is not the expected one. */
    static final int REVISION_MISMATCH = 5;
    /** A write may or may not have been applied (answer lost, e.g. during a failover). */
    static final int OUTCOME_UNKNOWN = 6;
    /** watch: --timeout passed before --count events. */
    static final int TIMED_OUT = 7;
    /** The node refused the token: 401 (none, or unknown) or 403 (its role does not allow the command). */
    static final int ACCESS_DENIED = 8;
    /** node: this node was removed from the cluster's membership and stopped. */
    static final int REMOVED = 9;

    /** Help footer lines shared by the key-value commands. */
    static final String[] KV_FOOTER = {
        "",
        "Exit codes: 0 ok, 1 other failure, 2 usage error or invalid request, 3 no active node",
        "  within --timeout, 4 key not found (get), 5 revision mismatch (cas), 6 write outcome unknown,",
        "  8 token refused (401/403; see --token, --token-file, $BATON_TOKEN).",
        "Seeds default to $BATON_SEEDS, else http://127.0.0.11:8080,http://127.0.0.12:8080,http://127.0.0.13:8080."
    };

    private ExitCodes() {}

    static int forException(Throwable e) {
        if (e instanceof AccessDeniedException) {
            return ACCESS_DENIED;
        }
        if (e instanceof NoLeaderException) {
            return NO_LEADER;
        }
        if (e instanceof RevisionMismatchException) {
            return REVISION_MISMATCH;
        }
        if (e instanceof OutcomeUnknownException) {
            return OUTCOME_UNKNOWN;
        }
        if (e instanceof InvalidRequestException || e instanceof IllegalArgumentException) {
            return USAGE;
        }
        return FAILURE;
    }
}
