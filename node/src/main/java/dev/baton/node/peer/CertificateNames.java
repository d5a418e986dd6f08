package dev.baton.node.peer;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The member ids a certificate names. A subject alternative name {@code URI:baton:member:ID} is the
 * explicit form; a certificate without one names its subject CN. The SAN wins when present so a CA
 * can issue certificates whose CN is a host name without making that host name a member claim.
 */
public final class CertificateNames {

    /** The SAN URI prefix: {@code baton:member:n2} names member n2. */
    public static final String URI_PREFIX = "baton:member:";

    private static final int SAN_URI = 6;

    private CertificateNames() {}

    public static Set<String> of(X509Certificate cert) {
        Set<String> names = new TreeSet<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(SAN_URI).equals(san.get(0)) && san.get(1) instanceof String uri
                            && uri.startsWith(URI_PREFIX)) {
                        names.add(uri.substring(URI_PREFIX.length()));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return Set.of(); // a certificate we cannot read names nobody
        }
        if (names.isEmpty()) {
            String cn = commonName(cert);
            if (cn != null) {
                names.add(cn);
            }
        }
        return names;
    }

    /** Subject and names, for messages. */
    public static String describe(X509Certificate cert) {
        return "'" + cert.getSubjectX500Principal().getName() + "' naming " + of(cert);
    }

    private static String commonName(X509Certificate cert) {
        try {
            LdapName dn = new LdapName(cert.getSubjectX500Principal().getName());
            for (Rdn rdn : dn.getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
