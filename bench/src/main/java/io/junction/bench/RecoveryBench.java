package io.junction.bench;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Case 3: recovery time. Fills one queue with persistent 1 KB messages over STOMP (pipelined,
 * see {@link PipelinedSender}), stops the broker gracefully, starts a new one on the same data
 * directory and times its {@code start()}, which replays the journal and hands the messages to
 * the queue. The queue takes them on its own executor, so {@code start()} may return before the
 * queue holds them all: the time until it does is measured too, and it must get every message.
 */
final class RecoveryBench {

    private static final String QUEUE = "bench.recovery";
    private static final long DEPTH_TIMEOUT_NANOS = 120_000_000_000L;

    /**
     * @param journalBytes   the journal's size on disk when the first broker stopped
     * @param startSeconds   from the call of start() to its return
     * @param queuedSeconds  from the call of start() until the queue holds every message
     */
    record Result(long messages, double fillSeconds, long journalBytes, double startSeconds, double queuedSeconds) {
    }

    private RecoveryBench() {
    }

    static Result run(Path home, long messages) throws IOException, InterruptedException {
        double fillSeconds;
        long journalBytes;
        try (EmbeddedJunction broker = EmbeddedJunction.start(home)) {
            long start = System.nanoTime();
            PipelinedSender.send(broker.stompPort(), messages, i -> "/queue/" + QUEUE);
            fillSeconds = (System.nanoTime() - start) / 1e9;
            awaitDepth(broker, messages, "after the fill");
            journalBytes = broker.store().diskUsage();
        }
        try (EmbeddedJunction recovered = EmbeddedJunction.start(home)) {
            long queued = awaitDepth(recovered, messages, "after recovery");
            return new Result(messages, fillSeconds, journalBytes, recovered.startSeconds(),
                    recovered.secondsSinceStartCalled(queued));
        }
    }

    /** Waits until the queue holds {@code expected} messages; returns the {@link System#nanoTime()} it did. */
    private static long awaitDepth(EmbeddedJunction broker, long expected, String when)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + DEPTH_TIMEOUT_NANOS;
        long depth;
        while ((depth = broker.depth(QUEUE)) < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        long now = System.nanoTime();
        if (depth != expected) {
            throw new IOException("queue " + QUEUE + " holds " + depth + " messages " + when + ", expected " + expected);
        }
        return now;
    }
}
