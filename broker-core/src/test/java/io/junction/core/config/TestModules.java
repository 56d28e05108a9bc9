package io.junction.core.config;

import io.junction.core.spi.Setting;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Protocol module declarations standing in for the real modules, which broker-core cannot see.
 * The STOMP list mirrors the keys shipped in {@code conf/broker.yaml}.
 */
final class TestModules {

    static final Setting<Integer> MAX_HEADERS = Setting.ofInt("maxHeaders", 128, 1,
            "Most headers one frame may carry.");
    static final Setting<Integer> MAX_HEADER_LINE_LENGTH = Setting.ofInt("maxHeaderLineLength", 8192, 256,
            "Longest header line in bytes.");
    static final Setting<Duration> CONNECT_TIMEOUT = Setting.ofDuration("connectTimeout", Duration.ofSeconds(30),
            Duration.ofMillis(100), "How long a new connection may take to send CONNECT.");
    static final Setting<Duration> HEARTBEAT_MIN = Setting.ofDuration("heartbeatMin", Duration.ofMillis(100),
            Duration.ofMillis(10), "Smallest heart-beat interval the broker agrees to.");
    static final Setting<Integer> HEARTBEAT_GRACE_FACTOR = Setting.ofInt("heartbeatGraceFactor", 150, 100,
            "Percent of the negotiated interval a client may stay silent before it is disconnected.");
    static final Setting<Integer> DEFAULT_PREFETCH = Setting.ofInt("defaultPrefetch", 1000, 1,
            "Messages sent ahead to a subscription when the client asks for no prefetch.");

    static final List<Setting<?>> STOMP = List.of(MAX_HEADERS, MAX_HEADER_LINE_LENGTH,
            CONNECT_TIMEOUT, HEARTBEAT_MIN, HEARTBEAT_GRACE_FACTOR, DEFAULT_PREFETCH);

    /** A second module, so multi-protocol listeners and the remaining setting kinds can be tested. */
    static final Setting<Boolean> RETAIN = Setting.ofBoolean("retainEnabled", true, "Whether retained messages are kept.");
    static final Setting<String> CLIENT_PREFIX = Setting.ofString("clientIdPrefix", "", "Prefix for generated client ids.");
    static final Setting<Long> MAX_SESSIONS = new Setting<>("maxSessions", Setting.Kind.LONG, 100_000L, 1,
            "Most stored sessions.");
    static final Setting<Long> MAX_STORED_BYTES = Setting.ofSize("maxStoredBytes", 10L * 1024 * 1024, 1024,
            "Most bytes stored for sessions.");
    static final List<Setting<?>> MQTT = List.of(RETAIN, CLIENT_PREFIX, MAX_SESSIONS, MAX_STORED_BYTES);

    static final Map<String, List<Setting<?>>> STOMP_ONLY = Map.of("stomp", STOMP);
    static final Map<String, List<Setting<?>>> STOMP_AND_MQTT = Map.of("stomp", STOMP, "mqtt", MQTT);

    private TestModules() {
    }
}
