package dev.baton.node.peer;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The identity rule of peer TLS: a certificate that chains to the cluster CA proves only that the
 * CA issued it; which member a peer <em>is</em> comes from the names in its certificate, and that
 * claim holds only from where {@code --members} says the member lives. So a valid certificate for
 * n2 cannot be used to speak as n3, nor from another machine than n2's, and a certificate for a
 * non-member gets nowhere.
 *
 * <p>Pure: names and addresses in, {@link Verdict} out. Host names are resolved by the caller
 * before (at start-up), so the rule reads no DNS and no clock. Immutable and thread-safe.
 *
 * <p>Members that share a host (several ports on one machine) can only be told apart by port,
 * which the inbound side does not see (a peer connects from an ephemeral port): such members are
 * one trust domain, and {@link #claim} plus {@link #peerAddress} are what still bind an accepted
 * connection to one of them.
 */
public final class MemberDirectory {

    /** One member as the rule sees it: its id, the addresses its host resolved to, its transport port. */
    public record Member(String id, Set<InetAddress> hosts, int raftPort) {
        public Member {
            hosts = Set.copyOf(hosts);
        }
    }

    private volatile Map<String, Member> byId; // immutable; replaced whole when the member table changes

    public MemberDirectory(Collection<Member> members) {
        this.byId = index(members);
    }

    /** The members from now on (a membership change was applied); connections are checked against them. */
    public void replace(Collection<Member> members) {
        this.byId = index(members);
    }

    private static Map<String, Member> index(Collection<Member> members) {
        Map<String, Member> out = new LinkedHashMap<>();
        for (Member m : members) {
            if (out.put(m.id(), m) != null) {
                throw new IllegalArgumentException("duplicate member id " + m.id());
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    public Set<String> ids() {
        return byId.keySet();
    }

    /**
     * A connection accepted from {@code from}, whose certificate names {@code names}: accepted as
     * the one member the certificate names, if it comes from that member's host.
     */
    public Verdict inbound(Collection<String> names, InetAddress from) {
        Verdict named = oneMember(names);
        if (!named.accepted()) {
            return named;
        }
        Member m = byId.get(named.memberId());
        if (m == null) { // removed between the two reads
            return Verdict.refuse(Refusal.NOT_A_MEMBER, "'" + named.memberId() + "' is no longer a member");
        }
        if (!m.hosts().contains(from)) {
            return Verdict.refuse(Refusal.WRONG_HOST, "certificate for '" + m.id() + "' used from " + from.getHostAddress()
                    + "; '" + m.id() + "' is configured at " + hostList(m));
        }
        return named;
    }

    /**
     * A connection this node opened to {@code host:port}: accepted only if that address is a
     * member's transport and the server's certificate names exactly that member.
     */
    public Verdict outbound(Collection<String> names, InetAddress host, int port) {
        Member dialled = memberAt(host, port);
        if (dialled == null) {
            return Verdict.refuse(Refusal.NOT_A_MEMBER, host.getHostAddress() + ":" + port + " is no member's transport address");
        }
        Verdict named = oneMember(names);
        if (!named.accepted()) {
            return named;
        }
        if (!named.memberId().equals(dialled.id())) {
            return Verdict.refuse(Refusal.WRONG_MEMBER, "dialled '" + dialled.id() + "' at " + host.getHostAddress() + ":" + port
                    + ", certificate names '" + named.memberId() + "'");
        }
        return named;
    }

    /**
     * Over a connection accepted as {@code memberId}, the peer says its transport listens at
     * {@code host:port} (JGroups sends this first, and answers to that address go over this
     * connection): it must be that member's own configured transport address.
     */
    public Verdict peerAddress(String memberId, InetAddress host, int port) {
        Member m = byId.get(memberId);
        if (m == null || !m.hosts().contains(host) || m.raftPort() != port) {
            String configured = m == null ? "no such member" : "'" + memberId + "' is configured at " + hostList(m) + " port " + m.raftPort();
            return Verdict.refuse(Refusal.WRONG_PEER_ADDRESS, "connection of '" + memberId + "' claims transport address "
                    + (host == null ? "?" : host.getHostAddress()) + ":" + port + "; " + configured);
        }
        return Verdict.accept(memberId);
    }

    /**
     * A cluster message that arrived over the connection of the member at {@code host:port}
     * claims to come from member id {@code claimedId} (its raft id): it must be that member.
     */
    public Verdict claim(InetAddress host, int port, String claimedId) {
        Member m = memberAt(host, port);
        if (m == null) {
            return Verdict.refuse(Refusal.NOT_A_MEMBER, "message over a connection from " + (host == null ? "?" : host.getHostAddress())
                    + ":" + port + ", no member's transport address");
        }
        if (!m.id().equals(claimedId)) {
            return Verdict.refuse(Refusal.IMPERSONATION, "connection of '" + m.id() + "' carries a message from member id "
                    + (claimedId == null ? "(none)" : "'" + claimedId + "'"));
        }
        return Verdict.accept(m.id());
    }

    /**
     * This node's own certificate must name its own id and no other member (start-up check: a node
     * holding a certificate for another member would be refused by every peer, or worse, accepted
     * as that member).
     */
    public Verdict own(Collection<String> names, String selfId) {
        Verdict named = oneMember(names);
        if (!named.accepted()) {
            return named;
        }
        if (!named.memberId().equals(selfId)) {
            return Verdict.refuse(Refusal.WRONG_MEMBER, "certificate names '" + named.memberId() + "', this node is '" + selfId + "'");
        }
        return named;
    }

    private Verdict oneMember(Collection<String> names) {
        List<String> members = new ArrayList<>();
        for (String n : new TreeSet<>(names)) {
            if (byId.containsKey(n)) {
                members.add(n);
            }
        }
        if (members.isEmpty()) {
            return Verdict.refuse(Refusal.NOT_A_MEMBER, "certificate names " + new TreeSet<>(names) + ", members are " + byId.keySet());
        }
        if (members.size() > 1) {
            return Verdict.refuse(Refusal.AMBIGUOUS, "certificate names members " + members);
        }
        return Verdict.accept(members.get(0));
    }

    private Member memberAt(InetAddress host, int port) {
        for (Member m : byId.values()) {
            if (m.raftPort() == port && m.hosts().contains(host)) {
                return m;
            }
        }
        return null;
    }

    private static String hostList(Member m) {
        List<String> hosts = new ArrayList<>();
        for (InetAddress a : m.hosts()) {
            hosts.add(a.getHostAddress());
        }
        hosts.sort(null);
        return String.join(",", hosts);
    }
}
