package io.junction.bench;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A load-generator thread (named {@code bench-...}, so that the broker's CPU time leaves it out)
 * repeating one step, a send or a receive, until told to stop: by the run's flag, which stops every
 * thread of the run, or by {@link #stopRepeating()}, which lets a run stop its producers before its
 * consumers. A step's failure ends the thread and is kept for {@link #check()}, unless the run had
 * stopped already (its connections may be closing under the step).
 */
final class LoadThread extends Thread {

    interface Step {
        void run() throws Exception;
    }

    private final AtomicBoolean stop;
    private final AtomicBoolean stopRepeating = new AtomicBoolean();
    private final Step step;
    /** {@link System#nanoTime()} when the current step began, 0 between steps. */
    private volatile long stepStarted;
    private volatile long steps;
    private volatile Exception failure;

    /** @param name the thread's name after {@code bench-} */
    LoadThread(String name, AtomicBoolean stop, Step step) {
        super(BrokerProbe.LOAD_GENERATOR_THREADS + name);
        this.stop = stop;
        this.step = step;
        setDaemon(true);
    }

    @Override
    public void run() {
        try {
            while (!stop.get() && !stopRepeating.get()) {
                stepStarted = System.nanoTime();
                step.run();
                stepStarted = 0;
                steps++;
            }
        } catch (Exception e) {
            if (!stop.get()) {
                failure = e;
            }
        }
    }

    /** Ends the loop after the current step, whatever the run's flag says. */
    void stopRepeating() {
        stopRepeating.set(true);
    }

    /** The name given to the constructor. */
    String label() {
        return getName().substring(BrokerProbe.LOAD_GENERATOR_THREADS.length());
    }

    /** Steps completed. */
    long steps() {
        return steps;
    }

    /** How long the current step has been running, 0 between steps. */
    long stepNanos() {
        long started = stepStarted;
        return started == 0 ? 0 : System.nanoTime() - started;
    }

    void check() throws Exception {
        if (failure != null) {
            throw new Exception(getName() + " failed", failure);
        }
    }
}
