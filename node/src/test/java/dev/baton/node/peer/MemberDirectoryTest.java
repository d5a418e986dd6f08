package dev.baton.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The identity rule: certificate names + where the connection comes from + the member list → accept or refuse, with the reason. */
class MemberDirectoryTest {

    private static final MemberDirectory THREE = new MemberDirectory(List.of(
            member("n1", "127.0.0.21", 7800),
            member("n2", "127.0.0.22", 7800),
            member("n3", "127.0.0.23", 7800)));

    private static MemberDirectory.Member member(String id, String host, int port) {
        return new MemberDirectory.Member(id, Set.of(ip(host)), port);
    }

    private static InetAddress ip(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void inboundMemberFromItsHostIsAcceptedAsThatMember() {
        assertThat(THREE.inbound(Set.of("n2"), ip("127.0.0.22"))).isEqualTo(Verdict.accept("n2"));
    }

    @Test
    void inboundValidCertificateFromAnotherHostIsRefused() {
        // the attack seen: after n2 crashed, a process elsewhere claimed n2
        Verdict v = THREE.inbound(Set.of("n2"), ip("127.0.0.99"));
        assertThat(v.refusal()).isEqualTo(Refusal.WRONG_HOST);
        assertThat(v.detail()).contains("'n2'", "127.0.0.99", "127.0.0.22");
    }

    @Test
    void inboundCertificateForAnotherMemberFromAMembersHostIsRefused() {
        // n2's certificate used from n3's machine: cannot speak as n3, and it is not n2's host either
        assertThat(THREE.inbound(Set.of("n2"), ip("127.0.0.23")).refusal()).isEqualTo(Refusal.WRONG_HOST);
    }

    @Test
    void inboundNonMemberCertificateIsRefused() {
        Verdict v = THREE.inbound(Set.of("s4"), ip("127.0.0.24"));
        assertThat(v.refusal()).isEqualTo(Refusal.NOT_A_MEMBER);
        assertThat(v.detail()).contains("s4", "n1", "n2", "n3");
    }

    @Test
    void certificateNamingNoOneIsRefused() {
        assertThat(THREE.inbound(Set.of(), ip("127.0.0.22")).refusal()).isEqualTo(Refusal.NOT_A_MEMBER);
    }

    @Test
    void certificateNamingTwoMembersIsRefusedEvenFromOneOfTheirHosts() {
        Verdict v = THREE.inbound(Set.of("n2", "n3"), ip("127.0.0.22"));
        assertThat(v.refusal()).isEqualTo(Refusal.AMBIGUOUS);
        assertThat(v.detail()).contains("n2", "n3");
    }

    @Test
    void extraNonMemberNamesDoNotMatter() {
        assertThat(THREE.inbound(Set.of("n2", "host22.example"), ip("127.0.0.22"))).isEqualTo(Verdict.accept("n2"));
    }

    @Test
    void outboundServerMustBeTheMemberDialled() {
        assertThat(THREE.outbound(Set.of("n3"), ip("127.0.0.23"), 7800)).isEqualTo(Verdict.accept("n3"));
        Verdict v = THREE.outbound(Set.of("n2"), ip("127.0.0.23"), 7800);
        assertThat(v.refusal()).isEqualTo(Refusal.WRONG_MEMBER);
        assertThat(v.detail()).contains("dialled 'n3'", "names 'n2'");
    }

    @Test
    void outboundToANonMemberAddressIsRefused() {
        assertThat(THREE.outbound(Set.of("n3"), ip("127.0.0.23"), 7801).refusal()).isEqualTo(Refusal.NOT_A_MEMBER);
        assertThat(THREE.outbound(Set.of("n3"), ip("127.0.0.99"), 7800).refusal()).isEqualTo(Refusal.NOT_A_MEMBER);
    }

    @Test
    void outboundServerWithNonMemberCertificateIsRefused() {
        assertThat(THREE.outbound(Set.of("s4"), ip("127.0.0.23"), 7800).refusal()).isEqualTo(Refusal.NOT_A_MEMBER);
    }

    @Test
    void acceptedConnectionMustClaimItsMembersOwnTransportAddress() {
        assertThat(THREE.peerAddress("n2", ip("127.0.0.22"), 7800)).isEqualTo(Verdict.accept("n2"));
        // same host, another port: a second process with n2's key on n2's machine
        Verdict v = THREE.peerAddress("n2", ip("127.0.0.22"), 7950);
        assertThat(v.refusal()).isEqualTo(Refusal.WRONG_PEER_ADDRESS);
        assertThat(v.detail()).contains("127.0.0.22:7950", "port 7800");
        // n2's connection claiming to be n3's transport, to receive what is sent to n3
        assertThat(THREE.peerAddress("n2", ip("127.0.0.23"), 7800).refusal()).isEqualTo(Refusal.WRONG_PEER_ADDRESS);
    }

    @Test
    void messagesOnAMembersConnectionMustClaimThatMembersId() {
        assertThat(THREE.claim(ip("127.0.0.22"), 7800, "n2")).isEqualTo(Verdict.accept("n2"));
        Verdict v = THREE.claim(ip("127.0.0.22"), 7800, "n3");
        assertThat(v.refusal()).isEqualTo(Refusal.IMPERSONATION);
        assertThat(v.detail()).contains("'n2'", "'n3'");
        assertThat(THREE.claim(ip("127.0.0.22"), 7800, null).refusal()).isEqualTo(Refusal.IMPERSONATION);
        assertThat(THREE.claim(ip("127.0.0.99"), 7800, "n2").refusal()).isEqualTo(Refusal.NOT_A_MEMBER);
    }

    @Test
    void ownCertificateMustNameOwnIdAndNoOtherMember() {
        assertThat(THREE.own(Set.of("n1"), "n1")).isEqualTo(Verdict.accept("n1"));
        assertThat(THREE.own(Set.of("n2"), "n1").refusal()).isEqualTo(Refusal.WRONG_MEMBER);
        assertThat(THREE.own(Set.of("s4"), "n1").refusal()).isEqualTo(Refusal.NOT_A_MEMBER);
        assertThat(THREE.own(Set.of("n1", "n2"), "n1").refusal()).isEqualTo(Refusal.AMBIGUOUS);
    }

    @Test
    void aHostWithSeveralAddressesAcceptsAnyOfThem() {
        MemberDirectory d = new MemberDirectory(List.of(new MemberDirectory.Member("n1", Set.of(ip("127.0.0.21"), ip("::1")), 7800)));
        assertThat(d.inbound(Set.of("n1"), ip("::1"))).isEqualTo(Verdict.accept("n1"));
        assertThat(d.inbound(Set.of("n1"), ip("127.0.0.21"))).isEqualTo(Verdict.accept("n1"));
    }
}
