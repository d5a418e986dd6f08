package dev.baton.client.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One leadership term of the replicated history ({@code GET /v1/history}). Times are epoch ms;
 * whose clock each one comes from is in {@link LeadershipHistory#clock()}. Null: not known.
 *
 * @param term the Raft term
 * @param leader the node that led it
 * @param cause why it began: startup, crash, suspect, partition, switchover, handover, promote,
 *     maintenance or unknown (see docs/http-api.md)
 * @param activeAtMs when its leader became able to act (see the clock description)
 * @param endedAtMs when it ended; null while it lasts or when not known
 * @param gapMs how long the cluster had no ACTIVE before it; null when not known (startup)
 * @param previousLeader the leader of the term recorded before it, or null
 * @param endReason switchover or handover once its leader handed over, else null
 */
public record LeadershipTerm(
        long term,
        String leader,
        String cause,
        @JsonProperty("active_at_ms") Long activeAtMs,
        @JsonProperty("ended_at_ms") Long endedAtMs,
        @JsonProperty("gap_ms") Long gapMs,
        @JsonProperty("previous_leader") String previousLeader,
        @JsonProperty("end_reason") String endReason) {}
