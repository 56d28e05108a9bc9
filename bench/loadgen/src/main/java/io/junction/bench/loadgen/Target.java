package io.junction.bench.loadgen;

import io.junction.bench.BrokerProcess;

/**
 * The broker a scenario drives: {@code --broker=name@host:port}, and with {@code --broker-pid} the
 * process whose CPU time and RSS the result reports (null: those fields are null); the transport
 * that port serves, the WebSocket path (ws and wss) and the trust store (tls and wss).
 */
record Target(String name, String host, int port, BrokerProcess process, Transport transport, String webSocketPath,
              TrustStore trustStore) {

    static Target parse(String spec, String pid, Transport transport, String webSocketPath, TrustStore trustStore) {
        int at = spec.indexOf('@');
        int colon = spec.lastIndexOf(':');
        if (at <= 0 || colon < at + 2 || colon == spec.length() - 1) {
            throw new IllegalArgumentException("--broker takes name@host:port, was " + spec);
        }
        if (transport.secure() && trustStore == null) {
            throw new IllegalArgumentException("--transport=" + transport.label() + " needs --trust-store");
        }
        return new Target(spec.substring(0, at), spec.substring(at + 1, colon),
                Integer.parseInt(spec.substring(colon + 1)),
                pid == null ? null : new BrokerProcess(Long.parseLong(pid)), transport, webSocketPath, trustStore);
    }

    /** The WebSocket URL of the target: ws or wss, host, port and path. */
    String webSocketUrl() {
        String path = webSocketPath.startsWith("/") ? webSocketPath : "/" + webSocketPath;
        return (transport.secure() ? "wss" : "ws") + "://" + host + ":" + port + path;
    }
}
