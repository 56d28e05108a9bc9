package io.junction.openwire;

import io.junction.core.spi.Setting;

import java.util.List;

/** The keys of the {@code protocols.openwire} section of {@code conf/broker.yaml}. */
final class OpenWireSettings {

    static final Setting<Long> MAX_FRAME_SIZE = Setting.ofSize("maxFrameSize", 100L * 1024 * 1024, 1024,
            "Largest command a client may send; a larger one closes the connection.");

    static final List<Setting<?>> ALL = List.of(MAX_FRAME_SIZE);

    private OpenWireSettings() {
    }
}
