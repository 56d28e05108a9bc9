package io.junction.core.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A listener's {@code maxConnections}: counts its open connections and refuses one more. Refusals
 * are logged at most once per {@link #LOG_INTERVAL_MILLIS} per listener, with the number refused
 * since the previous line, so that a flood of connections does not flood the log. Safe for
 * concurrent use: channels are accepted and closed on several event loops.
 */
final class ListenerConnectionLimit {

    static final long LOG_INTERVAL_MILLIS = 10_000;

    private static final Logger log = LoggerFactory.getLogger(ListenerConnectionLimit.class);

    private final String listener;
    private final int max;
    private final LongSupplier nanoClock;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    /** Refusals not yet written to the log. */
    private final AtomicLong unlogged = new AtomicLong();
    private final AtomicLong nextLogAt;

    /** @param max the most connections open at once; 0 for no limit */
    ListenerConnectionLimit(String listener, int max) {
        this(listener, max, System::nanoTime);
    }

    ListenerConnectionLimit(String listener, int max, LongSupplier nanoClock) {
        this.listener = listener;
        this.max = max;
        this.nanoClock = nanoClock;
        this.nextLogAt = new AtomicLong(nanoClock.getAsLong());
    }

    /**
     * Counts a new connection, or refuses it (and logs that, rate limited) when {@code max} are open.
     *
     * @return true when it may stay open; then {@link #closed()} must follow when it closes
     */
    boolean tryOpen(SocketAddress remote) {
        int now = open.incrementAndGet();
        if (max == 0 || now <= max) {
            return true;
        }
        open.decrementAndGet();
        refused.incrementAndGet();
        unlogged.incrementAndGet();
        long at = nanoClock.getAsLong();
        long due = nextLogAt.get();
        if (at - due >= 0 && nextLogAt.compareAndSet(due, at + TimeUnit.MILLISECONDS.toNanos(LOG_INTERVAL_MILLIS))) {
            long count = unlogged.getAndSet(0);
            log.warn("Listener {} refused a connection from {}: its maxConnections ({}) are open; {} refused since "
                    + "the last such line (at most one per {} s)", listener, remote, max, count,
                    LOG_INTERVAL_MILLIS / 1000);
        }
        return false;
    }

    void closed() {
        open.decrementAndGet();
    }

    int open() {
        return open.get();
    }

    /** Connections refused since the listener opened. */
    long refused() {
        return refused.get();
    }
}
