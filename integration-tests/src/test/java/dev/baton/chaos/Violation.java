package dev.baton.chaos;

/** A broken invariant found by one of the checkers; {@code detail} is the evidence, several lines. */
public record Violation(String checker, String summary, String detail) {

    @Override
    public String toString() {
        return "[" + checker + "] " + summary + (detail.isEmpty() ? "" : "\n" + detail.indent(4).stripTrailing());
    }
}
