/**
 * Implementation of the Baton client. Not an API: anything here may change without notice.
 *
 * <p>Pure parts (no I/O, no clock, unit-tested directly): {@link dev.baton.client.internal.NodeUrls},
 * {@link dev.baton.client.internal.Paths}, {@link dev.baton.client.internal.RetryPolicy} (the one
 * place that decides what is retried), {@link dev.baton.client.internal.Backoff}, {@link
 * dev.baton.client.internal.DiscoveryRound}, {@link dev.baton.client.internal.ErrorMapping}, {@link
 * dev.baton.client.internal.SeqTracker} (write numbers and the acked-below mark), {@link
 * dev.baton.client.internal.SseParser} and {@link dev.baton.client.internal.LeaderEventFilter}
 * (term order for the watch). The watch loop is {@link dev.baton.client.internal.LeaderWatcher}.
 * Failovers are followed early by {@link dev.baton.client.internal.LeaderChanges} (shared long-poll
 * rounds per term) and {@code AttemptWait} (an attempt's hedged wait). I/O
 * goes through {@link dev.baton.client.internal.Transport}; time through {@link
 * dev.baton.client.internal.Time}.
 *
 * <p>Nulls: parameters are non-null unless documented otherwise. Threads: every class is immutable
 * or thread-safe as its comment says; {@link dev.baton.client.internal.DiscoveryRound} is confined
 * to one round and used under its lock.
 */
package dev.baton.client.internal;
