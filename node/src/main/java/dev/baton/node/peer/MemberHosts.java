package dev.baton.node.peer;

import dev.baton.node.config.ConfigException;
import dev.baton.node.config.MemberSpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/** Builds the {@link MemberDirectory} from {@code --members}, resolving each host once, at start-up. */
public final class MemberHosts {

    private MemberHosts() {}

    public static MemberDirectory resolve(List<MemberSpec> members) {
        return new MemberDirectory(members(members));
    }

    /** Each member with its host resolved now. */
    public static List<MemberDirectory.Member> members(List<MemberSpec> members) {
        List<MemberDirectory.Member> resolved = new ArrayList<>();
        for (MemberSpec m : members) {
            try {
                resolved.add(new MemberDirectory.Member(m.id(), new HashSet<>(Arrays.asList(InetAddress.getAllByName(m.host()))), m.raftPort()));
            } catch (UnknownHostException e) {
                throw new ConfigException("--members", "cannot resolve host '" + m.host() + "' of member '" + m.id()
                        + "' (peer TLS checks that each peer connects from its member's host)", e);
            }
        }
        return resolved;
    }
}
