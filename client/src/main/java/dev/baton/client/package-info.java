/**
 * The Baton client: finds the ACTIVE node of a Baton cluster from a list of seed URLs, follows
 * redirects and failovers, and reads and writes the replicated key-value state.
 *
 * <p>Start with {@link dev.baton.client.BatonClient#builder()}.
 *
 * <p><b>Null policy.</b> No method accepts null arguments (a null throws {@link
 * java.lang.NullPointerException}) and no method returns null: absence is an empty {@link
 * java.util.Optional}. Exception accessors documented as "or null" are the only exception.
 *
 * <p><b>Threading.</b> {@link dev.baton.client.BatonClient} is immutable in its configuration and
 * thread-safe: share one instance per application. Its calls block the calling thread at most for
 * the configured deadline; they are interruptible (the interrupt flag is restored and a {@link
 * dev.baton.client.BatonException} is thrown). Exceptions and result records are immutable.
 *
 * <p><b>Watch threads.</b> Each {@link dev.baton.client.BatonClient#watchLeader} runs on its own
 * daemon thread ({@code baton-watch-N}), which reads the event stream and calls the {@link
 * dev.baton.client.LeaderListener} — one event at a time, in order, never concurrently with itself.
 * A listener that blocks delays later events of that watch only. {@link
 * dev.baton.client.LeaderWatch#close()} (or closing the client) stops the thread.
 *
 * <p><b>Errors.</b> All are unchecked subtypes of {@link dev.baton.client.BatonException}. Which
 * failures are retried is decided in one place inside the client; what reaches the caller is final
 * for that call.
 */
package dev.baton.client;
