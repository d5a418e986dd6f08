package dev.baton.client.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The leadership history as one node's replica holds it ({@code GET /v1/history}): the newest
 * terms, oldest first, as of that node's {@code appliedIndex}; {@code clock} says whose clock each
 * time comes from. Every node that applied the same entries answers the same terms.
 */
public record LeadershipHistory(
        List<LeadershipTerm> terms, String clock, @JsonProperty("applied_index") long appliedIndex, String node) {

    public LeadershipHistory {
        terms = terms == null ? List.of() : List.copyOf(terms);
    }
}
