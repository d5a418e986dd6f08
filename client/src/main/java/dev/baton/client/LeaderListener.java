package dev.baton.client;

/**
 * Receives the leadership changes of a {@link BatonClient#watchLeader watch}. Called on the watch's
 * own thread, one event at a time, in order; a slow listener delays later events (none is lost or
 * reordered). An exception thrown by the listener is logged and the watch goes on.
 */
@FunctionalInterface
public interface LeaderListener {

    void onChange(LeaderEvent event);
}
