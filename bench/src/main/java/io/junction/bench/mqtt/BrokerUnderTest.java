package io.junction.bench.mqtt;

import io.junction.bench.BrokerProcess;

import java.util.Set;

/**
 * A broker process the benchmark drives, given on the command line as
 * {@code label@[transport://]host:port:pid[:scenario+scenario...]}: how and where it listens
 * (transport {@code tcp}, the default, {@code tls}, {@code ws} or {@code wss}), and its process id
 * for what the benchmark reads from outside ({@link BrokerProcess}). Several entries may name the
 * same process (one per listener).
 */
record BrokerUnderTest(String label, Transport transport, String host, int port, long pid, Set<String> scenarios) {

    /** How the load generator reaches the listener. */
    enum Transport {
        TCP, TLS, WS, WSS;

        boolean tls() {
            return this == TLS || this == WSS;
        }

        boolean webSocket() {
            return this == WS || this == WSS;
        }
    }

    static BrokerUnderTest parse(String spec) {
        int at = spec.indexOf('@');
        String address = spec.substring(at + 1);
        int scheme = address.indexOf("://");
        Transport transport = scheme < 0 ? Transport.TCP
                : Transport.valueOf(address.substring(0, scheme).toUpperCase(java.util.Locale.ROOT));
        String[] parts = address.substring(scheme < 0 ? 0 : scheme + 3).split(":");
        if (at <= 0 || parts.length < 3 || parts.length > 4) {
            throw new IllegalArgumentException(
                    "--broker takes label@[transport://]host:port:pid[:scenario+...], was " + spec);
        }
        Set<String> scenarios = parts.length == 4 ? Set.of(parts[3].split("\\+")) : Set.of();
        return new BrokerUnderTest(spec.substring(0, at), transport, parts[0], Integer.parseInt(parts[1]),
                Long.parseLong(parts[2]), scenarios);
    }

    boolean runs(String scenario) {
        return scenarios.isEmpty() || scenarios.contains(scenario);
    }

    /** The process behind the listener: CPU time, RSS, open files and live heap as read from outside. */
    BrokerProcess process() {
        return new BrokerProcess(pid);
    }

    boolean alive() {
        return process().alive();
    }

    long cpuNanos() {
        return process().cpuNanos();
    }

    long rssKb() {
        return process().rssKb();
    }

    long openFiles() {
        return process().openFiles();
    }

    BrokerProcess.Histogram liveHeap() throws InterruptedException {
        return process().liveHeap();
    }
}
