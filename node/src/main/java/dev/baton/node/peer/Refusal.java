package dev.baton.node.peer;

/** Why a peer connection was refused; each value is one line of the operator's log. */
public enum Refusal {
    /** The peer spoke plain TCP to a TLS transport (a node started without the peer TLS options). */
    NOT_TLS("not TLS"),
    /** The TLS handshake failed before any certificate was judged (no client certificate, protocol or cipher mismatch, timeout). */
    HANDSHAKE_FAILED("TLS handshake failed"),
    /** The certificate does not chain to the cluster CA, or is expired or not yet valid. */
    UNTRUSTED_CERTIFICATE("certificate not issued by the cluster CA"),
    /** The certificate names no member of {@code --members}. */
    NOT_A_MEMBER("certificate names no member"),
    /** The certificate names more than one member: it cannot say which one the peer is. */
    AMBIGUOUS("certificate names several members"),
    /** The certificate names a member, but the connection does not come from that member's host. */
    WRONG_HOST("certificate used from another host than its member's"),
    /** We dialled one member's address and the certificate there names another member. */
    WRONG_MEMBER("certificate names another member than the one dialled"),
    /** Over an accepted connection, the peer claims to be another member's transport address. */
    WRONG_PEER_ADDRESS("peer claims another member's transport address"),
    /** A cluster message claims a member id (raft id) other than the one its connection's certificate names. */
    IMPERSONATION("message claims another member id than its certificate");

    private final String text;

    Refusal(String text) {
        this.text = text;
    }

    /** A few words for the log. */
    public String text() {
        return text;
    }
}
