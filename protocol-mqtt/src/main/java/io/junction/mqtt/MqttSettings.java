package io.junction.mqtt;

import io.junction.core.spi.Setting;

import java.time.Duration;
import java.util.List;

/** The keys of the {@code protocols.mqtt} section of {@code conf/broker.yaml}. */
final class MqttSettings {

    static final Setting<Integer> MAX_CLIENT_ID_LENGTH = Setting.ofInt("maxClientIdLength", 256, 23,
            "Longest client identifier accepted, in bytes. The specification only requires 23.");
    static final Setting<Duration> CONNECT_TIMEOUT = Setting.ofDuration("connectTimeout", Duration.ofSeconds(30),
            Duration.ofMillis(100), "How long a new connection may take to send CONNECT before it is closed.");
    static final Setting<Duration> MAX_KEEP_ALIVE = Setting.ofDuration("maxKeepAlive", Duration.ZERO, Duration.ZERO,
            "Longest keep-alive a client may ask for (0 = no limit). A longer or zero one is cut to this, which MQTT 5 "
                    + "clients are told as server-keep-alive; MQTT 3.1.1 clients are simply held to it.");
    static final Setting<Integer> RECEIVE_MAXIMUM = Setting.ofInt("receiveMaximum", 256, 1,
            "QoS 1 and 2 publishes a client may have unacknowledged towards the broker (MQTT 5 receive-maximum).");
    static final Setting<Integer> MAX_INFLIGHT = Setting.ofInt("maxInflight", 64, 1,
            "QoS 1 and 2 messages the broker sends a client before waiting for its acknowledgements; an MQTT 5 "
                    + "client's smaller receive-maximum wins.");
    static final Setting<Integer> TOPIC_ALIAS_MAXIMUM = Setting.ofInt("topicAliasMaximum", 64, 0,
            "Topic aliases an MQTT 5 client may define towards the broker (0 = none).");
    static final Setting<Duration> MAX_SESSION_EXPIRY = Setting.ofDuration("maxSessionExpiry", Duration.ZERO,
            Duration.ZERO, "Longest time a disconnected persistent session is kept (0 = as long as the client asks; "
                    + "MQTT 3.1.1 sessions with clean-session 0 then never expire).");
    static final Setting<Integer> MAX_QUEUED_MESSAGES = Setting.ofInt("maxQueuedMessages", 1000, 0,
            "Messages an MQTT session keeps waiting for its client, connected or away, over all its subscriptions "
                    + "(0 = no limit); while it is full new messages are dropped, as with Mosquitto's "
                    + "max_queued_messages; a connected client that falls behind slows its publishers instead, for as "
                    + "long as it keeps taking messages.");
    static final Setting<Integer> MAX_QUEUED_MESSAGES_TOTAL = Setting.ofInt("maxQueuedMessagesTotal", 1_000_000, 0,
            "Messages all MQTT subscriptions together keep waiting (0 = no limit); past it they drop new "
                    + "messages.");
    static final Setting<Boolean> RETAIN_AVAILABLE = Setting.ofBoolean("retainAvailable", true,
            "Whether retained messages are kept; when false a retained publish is refused (MQTT 5 reason 0x9A).");
    static final Setting<Duration> SYS_INTERVAL = Setting.ofDuration("sysInterval", Duration.ofSeconds(10),
            Duration.ZERO, "How often the $SYS/broker/... topics are published (0 = never).");
    static final Setting<Integer> MAX_CONNECTS_PER_SECOND = Setting.ofInt("maxConnectsPerSecond", 1000, 0,
            "CONNECT packets accepted per second over all MQTT connections (0 = no limit); more are refused with "
                    + "server-unavailable (3.1.1) or 0x9F connection-rate-exceeded (5).");
    static final Setting<Duration> CLIENT_RECONNECT_INTERVAL = Setting.ofDuration("clientReconnectInterval",
            Duration.ofMillis(200), Duration.ZERO,
            "Shortest time between two CONNECTs with the same client id (0 = no limit): stops takeover loops of "
                    + "devices sharing an id.");

    static final List<Setting<?>> ALL = List.of(MAX_CLIENT_ID_LENGTH, CONNECT_TIMEOUT,
            MAX_KEEP_ALIVE, RECEIVE_MAXIMUM, MAX_INFLIGHT, TOPIC_ALIAS_MAXIMUM, MAX_SESSION_EXPIRY,
            MAX_QUEUED_MESSAGES, MAX_QUEUED_MESSAGES_TOTAL, RETAIN_AVAILABLE, SYS_INTERVAL, MAX_CONNECTS_PER_SECOND,
            CLIENT_RECONNECT_INTERVAL);

    private MqttSettings() {
    }
}
