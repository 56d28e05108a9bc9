package io.junction.stomp;

import io.junction.core.spi.Setting;

import java.time.Duration;
import java.util.List;

/** The keys of the {@code protocols.stomp} section of {@code conf/broker.yaml}. */
final class StompSettings {

    static final Setting<Integer> MAX_HEADERS = Setting.ofInt("maxHeaders", 128, 1,
            "Most headers one frame may carry.");
    static final Setting<Integer> MAX_HEADER_LINE_LENGTH = Setting.ofInt("maxHeaderLineLength", 8192, 256,
            "Longest command or header line, in bytes.");
    static final Setting<Duration> CONNECT_TIMEOUT = Setting.ofDuration("connectTimeout", Duration.ofSeconds(30),
            Duration.ofMillis(100), "How long a new connection may take to send CONNECT before it is closed.");
    static final Setting<Duration> HEARTBEAT_MIN = Setting.ofDuration("heartbeatMin", Duration.ofMillis(100),
            Duration.ofMillis(10), "Smallest heart-beat interval the broker agrees to, either way.");
    static final Setting<Integer> HEARTBEAT_GRACE_FACTOR = Setting.ofInt("heartbeatGraceFactor", 150, 100,
            "Percent of the negotiated client heart-beat interval a client may stay silent before it is disconnected.");
    static final Setting<Integer> DEFAULT_PREFETCH = Setting.ofInt("defaultPrefetch", 1000, 1,
            "Unacknowledged messages per subscription when SUBSCRIBE has no activemq.prefetchSize header.");

    static final List<Setting<?>> ALL = List.of(MAX_HEADERS, MAX_HEADER_LINE_LENGTH, CONNECT_TIMEOUT,
            HEARTBEAT_MIN,
            HEARTBEAT_GRACE_FACTOR, DEFAULT_PREFETCH);

    private StompSettings() {
    }
}
