package dev.baton.node.statemachine;

import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A sorted map whose contents at one moment can be read by another thread while it goes on
 * changing: the state machine's keys, frozen for a snapshot that is written in the background.
 *
 * <p>{@link #freeze} hands out the map as it is, read-only, and from then on every change goes to
 * an overlay (a value, or a tombstone for a removed key) that reads consult first. The frozen map
 * is not touched until {@link #thaw}, which folds the overlay back in: a freeze costs nothing and
 * a thaw costs the changes made meanwhile, never the size of the map. Without a freeze this is a
 * plain {@link TreeMap}.
 *
 * <p>Not thread-safe, like the state machine: one thread changes and reads it (or callers
 * serialize access); only the frozen view may be read by another thread, and only until the thaw.
 */
final class FreezableMap<V> {

    private static final Object TOMBSTONE = new Object();

    private TreeMap<String, V> base = new TreeMap<>();
    /** Changes since the freeze (V or TOMBSTONE); null when not frozen. */
    private TreeMap<String, Object> overlay;
    /** The current freeze; {@link #thaw} of any other (after a {@link #clear}) does nothing. */
    private Frozen<V> frozen;
    private int size;

    /** The map as it was at {@link #freeze}: read-only, safe to read from another thread until its thaw. */
    record Frozen<V>(SortedMap<String, V> entries) {}

    V get(String key) {
        if (overlay != null) {
            Object o = overlay.get(key);
            if (o != null) {
                return o == TOMBSTONE ? null : cast(o);
            }
        }
        return base.get(key);
    }

    void put(String key, V value) {
        if (overlay == null) {
            if (base.put(key, value) == null) {
                size++;
            }
            return;
        }
        if (get(key) == null) {
            size++;
        }
        overlay.put(key, value);
    }

    void remove(String key) {
        if (overlay == null) {
            if (base.remove(key) != null) {
                size--;
            }
            return;
        }
        if (get(key) == null) {
            return;
        }
        size--;
        if (base.containsKey(key)) {
            overlay.put(key, TOMBSTONE);
        } else {
            overlay.remove(key);
        }
    }

    int size() {
        return size;
    }

    /** Empties the map; a frozen view stays as it was (a new map replaces the one it reads). */
    void clear() {
        base = new TreeMap<>();
        overlay = null;
        frozen = null;
        size = 0;
    }

    boolean isFrozen() {
        return frozen != null;
    }

    /** Freezes the map as it is now; one freeze at a time. */
    Frozen<V> freeze() {
        if (frozen != null) {
            throw new IllegalStateException("already frozen for a snapshot that is not finished");
        }
        overlay = new TreeMap<>();
        frozen = new Frozen<>(Collections.unmodifiableSortedMap(base));
        return frozen;
    }

    /** Ends {@code f}: its view may no longer be read, and the changes made since are folded in. */
    void thaw(Frozen<V> f) {
        if (f != frozen) {
            return; // cleared meanwhile (a snapshot was installed): nothing of that freeze is left
        }
        for (Map.Entry<String, Object> e : overlay.entrySet()) {
            if (e.getValue() == TOMBSTONE) {
                base.remove(e.getKey());
            } else {
                base.put(e.getKey(), cast(e.getValue()));
            }
        }
        overlay = null;
        frozen = null;
    }

    /** The entries from {@code fromKey} (inclusive) on, in key order, changes since a freeze included. */
    Iterator<Map.Entry<String, V>> from(String fromKey) {
        Iterator<Map.Entry<String, V>> b = base.tailMap(fromKey, true).entrySet().iterator();
        if (overlay == null) {
            return b;
        }
        return new Merged<>(b, overlay.tailMap(fromKey, true).entrySet().iterator());
    }

    /** All entries in key order. */
    Iterator<Map.Entry<String, V>> all() {
        return overlay == null ? base.entrySet().iterator() : from("");
    }

    @SuppressWarnings("unchecked")
    private static <V> V cast(Object o) {
        return (V) o;
    }

    /** The frozen map and the overlay merged: an overlay entry hides the base's, a tombstone hides both. */
    private static final class Merged<V> implements Iterator<Map.Entry<String, V>> {
        private final Iterator<Map.Entry<String, V>> base;
        private final Iterator<Map.Entry<String, Object>> overlay;
        private Map.Entry<String, V> b;
        private Map.Entry<String, Object> o;
        private Map.Entry<String, V> next;

        Merged(Iterator<Map.Entry<String, V>> base, Iterator<Map.Entry<String, Object>> overlay) {
            this.base = base;
            this.overlay = overlay;
            this.b = base.hasNext() ? base.next() : null;
            this.o = overlay.hasNext() ? overlay.next() : null;
            advance();
        }

        private void advance() {
            next = null;
            while (next == null && (b != null || o != null)) {
                int c = b == null ? 1 : o == null ? -1 : b.getKey().compareTo(o.getKey());
                if (c < 0) {
                    next = b;
                    b = base.hasNext() ? base.next() : null;
                    continue;
                }
                if (c == 0) {
                    b = base.hasNext() ? base.next() : null; // hidden by the overlay's entry
                }
                if (o.getValue() != TOMBSTONE) {
                    next = Map.entry(o.getKey(), cast(o.getValue()));
                }
                o = overlay.hasNext() ? overlay.next() : null;
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Map.Entry<String, V> next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Map.Entry<String, V> n = next;
            advance();
            return n;
        }
    }
}
