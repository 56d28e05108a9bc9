package io.junction.interop.flood;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The whole test's time budget. A blocking socket write cannot be interrupted, so when the budget
 * runs out a watchdog closes the sockets registered here: the blocked call fails at once and the
 * test reports which phase ran out of time.
 */
final class Deadline implements AutoCloseable {

    private final Duration budget;
    private final long start = System.nanoTime();
    private final List<Closeable> sockets = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "flood-deadline");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean expired;

    Deadline(Duration budget) {
        this.budget = budget;
        watchdog.schedule(this::expire, budget.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Closed by the watchdog when the budget runs out. */
    void register(Closeable socket) {
        sockets.add(socket);
        if (expired) {
            closeQuietly(socket);
        }
    }

    void unregister(Closeable socket) {
        sockets.remove(socket);
    }

    boolean expired() {
        return expired || System.nanoTime() - start > budget.toNanos();
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    Duration budget() {
        return budget;
    }

    /** Fails the test if the budget is spent; {@code phase} says where. */
    void check(String phase) {
        if (expired()) {
            throw exceeded(phase, null);
        }
    }

    /** The failure to throw when a phase is cut off by the budget (or failed for another reason after it). */
    AssertionError exceeded(String phase, Throwable cause) {
        return new AssertionError("the flood test exceeded its time budget of " + budget.toSeconds() + " s during "
                + phase + " (after " + elapsed().toMillis() + " ms)", cause);
    }

    private void expire() {
        expired = true;
        sockets.forEach(Deadline::closeQuietly);
    }

    private static void closeQuietly(Closeable socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing only to unblock
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
