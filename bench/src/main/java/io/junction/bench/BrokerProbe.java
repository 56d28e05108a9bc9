package io.junction.bench;

import io.junction.core.store.MessageStore;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * What the benchmark can observe of the broker under test, read at both edges of a measured
 * window: its journal's forces and records (Junction only) and the CPU time it used.
 */
record BrokerProbe(LongSupplier journalForces, LongSupplier journalRecords, LongSupplier cpuNanos) {

    /** Threads of this JVM whose names start with this belong to the load generator, not the broker. */
    static final String LOAD_GENERATOR_THREADS = "bench-";

    /** The probe's counters, the machine's CPU and the clock, read at one edge of a measured window. */
    record Reading(long journalForces, long journalRecords, long cpuNanos, MachineCpu machine, long nanoTime) {

        /** What happened from {@code start} to this reading. */
        Window since(Reading start) {
            return new Window((nanoTime - start.nanoTime) / 1e9, journalForces - start.journalForces,
                    journalRecords - start.journalRecords, cpuNanos - start.cpuNanos,
                    machine == null ? Double.NaN : machine.busySince(start.machine));
        }
    }

    /**
     * A measured window: its length, the journal's forces and records in it (0 when not observed),
     * the broker's CPU time, and the share of the machine's cores busy (every process: the load
     * generator's and other users' too; NaN where /proc/stat cannot be read).
     */
    record Window(double seconds, long journalForces, long journalRecords, long cpuNanos, double machineBusy) {
    }

    Reading read() {
        return new Reading(journalForces.getAsLong(), journalRecords.getAsLong(), cpuNanos.getAsLong(),
                MachineCpu.sample(), System.nanoTime());
    }

    /**
     * Junction in this JVM: the journal's counters, and the CPU time of the whole process less
     * that of the load generator's threads.
     */
    static BrokerProbe inProcess(MessageStore store) {
        return inProcess(store, name -> name.startsWith(LOAD_GENERATOR_THREADS));
    }

    /**
     * The same, where the load generator's threads are those whose names pass the test (a client
     * library, e.g. Qpid JMS, runs threads of its own).
     */
    static BrokerProbe inProcess(MessageStore store, Predicate<String> loadGeneratorThread) {
        return new BrokerProbe(store::journalForces, store::journalRecords,
                () -> processCpuLess(loadGeneratorThread));
    }

    /** A broker in another process: only its CPU time (to the resolution of the OS, 10 ms). */
    static BrokerProbe process(ProcessHandle process) {
        return new BrokerProbe(() -> 0, () -> 0,
                () -> process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L));
    }

    private static long processCpuLess(Predicate<String> loadGeneratorThread) {
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long loadGenerator = 0;
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null && loadGeneratorThread.test(thread.getThreadName())) {
                loadGenerator += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return process - loadGenerator;
    }
}
