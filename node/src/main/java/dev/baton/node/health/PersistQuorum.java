package dev.baton.node.health;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a majority of the members can store writes, from what one node knows: which members it
 * reaches and what each said of its storage. Pure. Without such a majority no leader can commit
 * (nor become ACTIVE), and every node says why instead of looking like an endless election.
 */
public final class PersistQuorum {

    /**
     * One member as this node sees it: {@code fault} is what it last reported, null when healthy
     * or when it has not reported lately (only a reported fault counts against it: a member
     * that says nothing but is reachable may just be starting).
     */
    public record Member(String id, boolean reachable, String fault) {}

    private PersistQuorum() {}

    /** Null if a majority of {@code members} is reachable and healthy, else what is missing, for people. */
    public static String problem(List<Member> members) {
        int majority = members.size() / 2 + 1;
        List<String> able = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Member m : members) {
            if (!m.reachable()) {
                missing.add(m.id() + " is unreachable");
            } else if (m.fault() != null) {
                missing.add(m.id() + " cannot persist (" + m.fault() + ")");
            } else {
                able.add(m.id());
            }
        }
        if (able.size() >= majority) {
            return null;
        }
        return "no majority can persist writes: " + majority + " of " + members.size() + " members must, "
                + (able.isEmpty() ? "none" : "only " + String.join(", ", able)) + " can; " + String.join("; ", missing);
    }
}
