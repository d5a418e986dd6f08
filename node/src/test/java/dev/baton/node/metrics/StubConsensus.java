package dev.baton.node.metrics;

import dev.baton.node.Consensus;
import dev.baton.node.role.RoleListener;
import dev.baton.node.role.RoleView;
import dev.baton.node.statemachine.ClusterControl;
import dev.baton.node.statemachine.Command;
import dev.baton.node.statemachine.Result;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A consensus whose state the test sets, publishing views to its listeners as the role thread would. */
final class StubConsensus implements Consensus {

    volatile RoleView view = RoleView.initial(0);
    volatile long commit;
    volatile long lease = -1;
    volatile Map<String, Long> lag = Map.of();
    volatile Map<String, Long> heard = Map.of();
    private final List<Consumer<RoleView>> viewListeners = new CopyOnWriteArrayList<>();
    private final List<RoleListener> roleListeners = new CopyOnWriteArrayList<>();

    /** Publishes {@code next}: role listeners on a transition, then view listeners, in order. */
    void publish(RoleView next) {
        RoleView before = view;
        view = next;
        if (!before.state().sameAs(next.role(), next.term(), next.leaderId())) {
            roleListeners.forEach(l -> l.onTransition(before.state(), next.state()));
        }
        viewListeners.forEach(l -> l.accept(next));
    }

    @Override
    public RoleView view() {
        return view;
    }

    @Override
    public void addViewListener(Consumer<RoleView> listener) {
        viewListeners.add(listener);
    }

    @Override
    public void addRoleListener(RoleListener listener) {
        roleListeners.add(listener);
    }

    @Override
    public long commitIndex() {
        return commit;
    }

    @Override
    public long appliedIndex() {
        return commit;
    }

    @Override
    public long leaseRemainingMs() {
        return lease;
    }

    @Override
    public Map<String, Long> followerLagEntries() {
        return lag;
    }

    @Override
    public Map<String, Long> peerHeartbeatAgeMs() {
        return heard;
    }

    @Override
    public CompletableFuture<Result> submit(Command command) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Result> leaseRead(Command query, long term) {
        return Optional.empty();
    }

    @Override
    public Result readLocal(Command query) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long leaderContactAgeMs() {
        return -1;
    }

    @Override
    public long leaderCommitIndex() {
        return commit;
    }

    @Override
    public long stalenessMs() {
        return -1;
    }

    @Override
    public ClusterControl control() {
        throw new UnsupportedOperationException();
    }

    @Override
    public long revision() {
        return 0;
    }

    @Override
    public History history(int limit) {
        return new History(List.of(), 0);
    }

    @Override
    public List<MemberState> members() {
        return List.of();
    }

    @Override
    public boolean stepDown() {
        return false;
    }

    @Override
    public CompletableFuture<Transfer> handOver() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void releaseFollowers() {}

    @Override
    public CompletableFuture<Transfer> transfer(String target) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
}
