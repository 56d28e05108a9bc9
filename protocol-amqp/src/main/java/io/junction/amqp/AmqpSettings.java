package io.junction.amqp;

import io.junction.core.spi.Setting;

import java.time.Duration;
import java.util.List;

/** The keys of the {@code protocols.amqp} section of {@code conf/broker.yaml}. */
final class AmqpSettings {

    static final Setting<Long> MAX_FRAME_SIZE = Setting.ofSize("maxFrameSize", 1024L * 1024, 512,
            "Largest frame the broker accepts, announced in its open; larger messages arrive in several frames.");
    static final Setting<Duration> IDLE_TIMEOUT = Setting.ofDuration("idleTimeout", Duration.ofSeconds(60),
            Duration.ZERO, "How long a peer may stay silent before its connection is closed (0 = never); announced "
                    + "in the broker's open so that the peer sends heart-beats, and the broker sends its own.");
    static final Setting<Boolean> ALLOW_ANONYMOUS = Setting.ofBoolean("allowAnonymous", true,
            "Whether SASL ANONYMOUS is offered.");
    static final Setting<Duration> CONNECT_TIMEOUT = Setting.ofDuration("connectTimeout", Duration.ofSeconds(30),
            Duration.ofMillis(100), "How long a new connection may take to open before it is closed.");
    static final Setting<Integer> CREDIT = Setting.ofInt("credit", 1000, 1,
            "Link credit the broker grants a producer, topped up as the broker takes its messages.");

    static final List<Setting<?>> ALL = List.of(MAX_FRAME_SIZE, IDLE_TIMEOUT, ALLOW_ANONYMOUS, CONNECT_TIMEOUT,
            CREDIT);

    private AmqpSettings() {
    }
}
