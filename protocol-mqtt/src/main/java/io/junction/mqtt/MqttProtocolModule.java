package io.junction.mqtt;

import io.junction.core.spi.ListenerLimits;
import io.junction.core.spi.ProtocolContext;
import io.junction.core.spi.ProtocolModule;
import io.junction.core.spi.Setting;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * MQTT 3.1, 3.1.1 and 5.0 on Netty's MQTT codec. MQTT topics are core topics by the design's
 * name mapping; sessions, wills and $SYS topics are this module's, kept through the broker's
 * state store; queueing, retained messages and routing are the broker's.
 */
public final class MqttProtocolModule implements ProtocolModule {

    private static final byte[] MQTT = "MQTT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MQISDP = "MQIsdp".getBytes(StandardCharsets.US_ASCII);

    /** The largest remaining length the MQTT fixed header can express (4 bytes of 7 bits). */
    private static final int MAX_REMAINING_LENGTH = 268_435_455;

    private volatile MqttConfig config;
    private volatile MqttSessions sessions;
    private volatile SysTopics sysTopics;

    @Override
    public String name() {
        return "mqtt";
    }

    @Override
    public List<Setting<?>> settings() {
        return MqttSettings.ALL;
    }

    /**
     * A CONNECT packet: type 1 with flags 0, a remaining length of one to four bytes, then the
     * protocol name "MQTT" (3.1.1, 5) or "MQIsdp" (3.1) as a length-prefixed string.
     */
    @Override
    public Detection detect(ByteBuf prefix) {
        int i = prefix.readerIndex();
        int end = prefix.writerIndex();
        if (i >= end) {
            return Detection.NEED_MORE;
        }
        if (prefix.getByte(i++) != 0x10) {
            return Detection.NO_MATCH;
        }
        for (int lengthBytes = 0; ; lengthBytes++) {
            if (i >= end) {
                return Detection.NEED_MORE;
            }
            if (lengthBytes == 4) {
                return Detection.NO_MATCH;
            }
            if ((prefix.getByte(i++) & 0x80) == 0) {
                break;
            }
        }
        if (end - i < 2) {
            return Detection.NEED_MORE;
        }
        int nameLength = prefix.getUnsignedShort(i);
        byte[] expected = nameLength == MQTT.length ? MQTT : nameLength == MQISDP.length ? MQISDP : null;
        if (expected == null) {
            return Detection.NO_MATCH;
        }
        i += 2;
        for (byte b : expected) {
            if (i >= end) {
                return Detection.NEED_MORE;
            }
            if (prefix.getByte(i++) != b) {
                return Detection.NO_MATCH;
            }
        }
        return Detection.MATCH;
    }

    @Override
    public void start(ProtocolContext context) {
        MqttConfig started = MqttConfig.of(context.settings());
        MqttSessions loaded = new MqttSessions(context, started, context.internalConnection());
        loaded.load();
        context.maxBoundedMessages(started.maxQueuedMessagesTotal());
        config = started;
        sessions = loaded;
        if (started.sysIntervalMillis() > 0) {
            sysTopics = new SysTopics(context, loaded, started.sysIntervalMillis());
            sysTopics.start();
        }
    }

    @Override
    public void stop() {
        if (sysTopics != null) {
            sysTopics.stop();
        }
        if (sessions != null) {
            sessions.shutdown();
            sessions.internalConnection().close("broker stopping");
        }
    }

    @Override
    public void install(ChannelPipeline pipeline, ProtocolContext context) {
        MqttSessions registry = sessions;
        if (registry == null) {
            throw new IllegalStateException("the MQTT module was not started");
        }
        // The listener's maxMessageSize, within the largest remaining length MQTT can express.
        int maxPacketSize = Math.min(ListenerLimits.of(pipeline.channel()).maxMessageSize(), MAX_REMAINING_LENGTH);
        pipeline.addLast("mqtt-framing", new MqttFraming(maxPacketSize));
        pipeline.addLast("mqtt-decoder", new MqttDecoder(maxPacketSize, config.maxClientIdLength()));
        pipeline.addLast("mqtt-encoder", MqttEncoder.INSTANCE);
        pipeline.addLast("mqtt", new MqttConnection(context, config, registry, maxPacketSize));
    }
}
