package io.junction.core.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which TLS implementation a listener's connections use. Both offer the same versions, cipher
 * suites and client-certificate checks (the broker configures them the same way); they differ in
 * CPU cost and in what they need on the machine. bench/README.md ("MQTT over TLS and WebSocket")
 * has the measurement the default comes from.
 */
public enum TlsProvider {
    /** The JDK's own TLS (SunJSSE): pure Java, runs wherever the JVM does. */
    JDK,
    /**
     * BoringSSL through Netty's netty-tcnative (the name Netty, gRPC and Artemis use): native code,
     * shipped with Junction for Linux on x86-64 only.
     */
    OPENSSL,
    ;

    /** What a listener uses when its {@code tls} block names no provider. */
    public static final TlsProvider DEFAULT = JDK;

    static final String NAMES = Arrays.stream(values()).map(TlsProvider::yamlName).collect(Collectors.joining(", "));

    /** The name written in {@code conf/broker.yaml}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<TlsProvider> byYamlName(String name) {
        return Arrays.stream(values()).filter(p -> p.yamlName().equals(name)).findFirst();
    }
}
