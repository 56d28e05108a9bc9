package io.junction.core.util;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs submitted tasks one at a time, in submission order, on a shared pool: an actor without a
 * thread of its own. Each queue of the broker owns one, so a queue's state needs no lock and
 * different queues dispatch in parallel.
 */
public final class SerialExecutor implements Executor {

    /** Tasks run per turn before the executor yields its pool thread to other actors. */
    private static final int BATCH = 256;

    private final Executor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    private final Thread.UncaughtExceptionHandler onError;

    public SerialExecutor(Executor pool, Thread.UncaughtExceptionHandler onError) {
        this.pool = pool;
        this.onError = onError;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (scheduled.compareAndSet(false, true)) {
            pool.execute(drain);
        }
    }

    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                break;
            }
            try {
                task.run();
            } catch (Throwable t) {
                onError.uncaughtException(Thread.currentThread(), t);
            }
        }
        scheduled.set(false);
        // A task added after the last poll but before the flag was cleared would otherwise wait forever.
        if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
            pool.execute(drain);
        }
    }
}
