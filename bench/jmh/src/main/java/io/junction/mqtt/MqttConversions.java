package io.junction.mqtt;

import io.junction.core.model.Message;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttPublishMessage;

/** The module's PUBLISH-to-core conversion, opened to benchmarks in other packages. */
public final class MqttConversions {

    private MqttConversions() {
    }

    /** As {@code MqttInbox.publish} makes the core message of a valid PUBLISH. */
    public static Message toCore(MqttPublishMessage publish, long now) {
        byte[] body = ByteBufUtil.getBytes(publish.payload());
        return MqttMessages.toCore(MqttTopics.toCore(publish.variableHeader().topicName()),
                publish.fixedHeader().qosLevel().value(), publish.fixedHeader().isRetain(), body,
                publish.variableHeader().properties(), now);
    }
}
