package io.junction.openwire;

import io.junction.core.spi.Setting;

import java.time.Duration;
import java.util.List;

/** The keys of the {@code protocols.openwire} section of {@code conf/broker.yaml}. */
final class OpenWireSettings {

    static final Setting<Duration> MAX_INACTIVITY_DURATION = Setting.ofDuration("maxInactivityDuration",
            Duration.ofSeconds(30), Duration.ZERO,
            "Longest silence the broker allows a client (the smaller of this and the client's own value "
                    + "is used; keep-alives are sent at a third of it); 0 turns the inactivity monitor off.");

    static final List<Setting<?>> ALL = List.of(MAX_INACTIVITY_DURATION);

    private OpenWireSettings() {
    }
}
