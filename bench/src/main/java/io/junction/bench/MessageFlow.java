package io.junction.bench;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * The messages one run of a producers -> consumers scenario sent and delivered, counted by its load
 * threads as they go. The run marks both, with the broker's probe, at the edges of its measured
 * window; after stopping its producers it waits until the consumers have every message sent, so
 * that no backlog carries into the next run.
 */
final class MessageFlow {

    /** How long a run waits, once its producers have stopped, for the consumers to get every message. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    final LongAdder sent = new LongAdder();
    final LongAdder delivered = new LongAdder();

    /** The counts and the broker's probe at one edge of the window. */
    record Mark(long sent, long delivered, BrokerProbe.Reading probe) {

        double secondsSince(Mark start) {
            return (probe.nanoTime() - start.probe.nanoTime()) / 1e9;
        }
    }

    /** @param undelivered messages the consumers still lacked when the wait ended (0: all delivered) */
    record Drained(double seconds, long undelivered) {
    }

    Mark mark(BrokerProbe probe) {
        return new Mark(sent.sum(), delivered.sum(), probe.read());
    }

    /**
     * Waits, at most {@link #DRAIN_TIMEOUT}, until the consumers have received {@code copies} of
     * every message sent: 1 from a queue, one per subscriber from a topic.
     */
    Drained drain(int copies) throws InterruptedException {
        long start = System.nanoTime();
        long expected = sent.sum() * copies;
        long deadline = System.currentTimeMillis() + DRAIN_TIMEOUT.toMillis();
        while (delivered.sum() < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return new Drained((System.nanoTime() - start) / 1e9, Math.max(0, expected - delivered.sum()));
    }

    /**
     * What one run measured. Over the window: messages delivered (all consumers together) and sent
     * per second, the broker's CPU time per delivered message, the share of the machine's cores
     * busy, the journal's forces and records (0 when not observed: Artemis); at its end, the
     * backlog (sent x copies - delivered); after it, the drain.
     */
    record Result(double delivered, double sent, double brokerCpuMicros, double machineBusy, long backlog,
                  long undelivered, double drainSeconds, long forces, long records, long deliveredInWindow) {

        static Result of(Mark start, Mark end, int copies, Drained drained) {
            BrokerProbe.Window window = end.probe().since(start.probe());
            long deliveredInWindow = end.delivered() - start.delivered();
            return new Result(deliveredInWindow / window.seconds(), (end.sent() - start.sent()) / window.seconds(),
                    deliveredInWindow > 0 ? window.cpuNanos() / 1000.0 / deliveredInWindow : Double.NaN,
                    window.machineBusy(), Math.max(0, end.sent() * copies - end.delivered()), drained.undelivered(),
                    drained.seconds(), window.journalForces(), window.journalRecords(), deliveredInWindow);
        }

        /** Journal forces per delivered message, "-" when the journal was not observed (Artemis). */
        String forcesPerMessage() {
            return forces == 0 || deliveredInWindow == 0 ? "-" : String.format("%.2f", (double) forces / deliveredInWindow);
        }

        String recordsPerForce() {
            return forces == 0 ? "-" : String.format("%.1f", (double) records / forces);
        }
    }
}
