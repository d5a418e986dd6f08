package dev.baton.node.peer;

import java.security.cert.CertificateException;

/** Thrown by {@link MemberTrustManager} to abort a handshake; carries the typed reason up to whoever logs it. */
public final class PeerRefusedException extends CertificateException {
    private static final long serialVersionUID = 1L;

    private final transient Verdict verdict;

    public PeerRefusedException(Verdict verdict) {
        super(verdict.refusal().text() + ": " + verdict.detail());
        this.verdict = verdict;
    }

    public Verdict verdict() {
        return verdict;
    }

    /** The refusal in {@code t}'s cause chain (SSL wraps it), or null. */
    public static PeerRefusedException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PeerRefusedException p) {
                return p;
            }
        }
        return null;
    }
}
