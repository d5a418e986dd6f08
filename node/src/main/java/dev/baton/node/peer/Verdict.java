package dev.baton.node.peer;

import java.util.Objects;

/**
 * The identity rule's answer: the member a peer was accepted as, or why it was refused.
 *
 * @param memberId the member the peer is, when accepted; null when refused
 * @param refusal why it was refused; null when accepted
 * @param detail the facts behind a refusal (names in the certificate, addresses), for the log
 */
public record Verdict(String memberId, Refusal refusal, String detail) {

    public Verdict {
        if ((memberId == null) == (refusal == null)) {
            throw new IllegalArgumentException("a verdict is either an accepted member or a refusal");
        }
    }

    public static Verdict accept(String memberId) {
        return new Verdict(Objects.requireNonNull(memberId), null, null);
    }

    public static Verdict refuse(Refusal refusal, String detail) {
        return new Verdict(null, Objects.requireNonNull(refusal), detail);
    }

    public boolean accepted() {
        return memberId != null;
    }
}
