package io.junction.bench.loadgen;

import io.junction.bench.BrokerProcess;

/**
 * The broker a scenario drives: {@code --broker=name@host:port}, and with {@code --broker-pid} the
 * process whose CPU time and RSS the result reports (null: those fields are null).
 */
record Target(String name, String host, int port, BrokerProcess process) {

    static Target parse(String spec, String pid) {
        int at = spec.indexOf('@');
        int colon = spec.lastIndexOf(':');
        if (at <= 0 || colon < at + 2 || colon == spec.length() - 1) {
            throw new IllegalArgumentException("--broker takes name@host:port, was " + spec);
        }
        return new Target(spec.substring(0, at), spec.substring(at + 1, colon),
                Integer.parseInt(spec.substring(colon + 1)),
                pid == null ? null : new BrokerProcess(Long.parseLong(pid)));
    }
}
