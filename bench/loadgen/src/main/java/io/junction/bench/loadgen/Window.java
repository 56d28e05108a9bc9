package io.junction.bench.loadgen;

import io.junction.bench.BrokerProcess;

import java.lang.management.ManagementFactory;

/**
 * The CPU used over a measured window: the broker's (its process, from /proc, 10 ms ticks) and the
 * load generator's (this JVM, every thread: the client library's event loops and callbacks).
 */
final class Window {

    private final BrokerProcess broker;
    private final long brokerCpuStart;
    private final long generatorCpuStart;
    private long brokerCpuEnd = -1;
    private long generatorCpuEnd = -1;

    private Window(BrokerProcess broker) {
        this.broker = broker;
        this.brokerCpuStart = broker == null ? -1 : broker.cpuNanos();
        this.generatorCpuStart = generatorCpuNanos();
    }

    static Window open(BrokerProcess broker) {
        return new Window(broker);
    }

    void close() {
        brokerCpuEnd = broker == null ? -1 : broker.cpuNanos();
        generatorCpuEnd = generatorCpuNanos();
    }

    /** Seconds of broker CPU in the window, or null where the broker's process is not known or readable. */
    Double brokerCpuSeconds() {
        return brokerCpuStart < 0 || brokerCpuEnd < 0 ? null : (brokerCpuEnd - brokerCpuStart) / 1e9;
    }

    Double generatorCpuSeconds() {
        return generatorCpuStart < 0 || generatorCpuEnd < 0 ? null : (generatorCpuEnd - generatorCpuStart) / 1e9;
    }

    /** The broker's RSS now, in KB, or null. */
    Long brokerRssKb() {
        return rssKb(broker);
    }

    /** The RSS of a broker process now, in KB, or null where it is not known or readable. */
    static Long rssKb(BrokerProcess broker) {
        long rss = broker == null ? -1 : broker.rssKb();
        return rss < 0 ? null : rss;
    }

    private static long generatorCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
