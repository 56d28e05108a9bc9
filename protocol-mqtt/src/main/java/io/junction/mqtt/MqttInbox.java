package io.junction.mqtt;

import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.BrokerException;
import io.junction.core.spi.NotAuthorizedException;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Messages a connected client publishes: checked (properties, topic aliases, topic names,
 * receive-maximum), routed to the broker, and acknowledged (PUBACK, PUBREC) once the broker has
 * taken them, in the order they came; the inbound half of QoS 2 with its packet ids kept in the
 * session. Used on the connection's event loop only.
 */
final class MqttInbox {

    private static final Logger log = LoggerFactory.getLogger(MqttInbox.class);
    /** Sends awaiting the broker past which the connection stops reading, and where it resumes. */
    private static final int PAUSE_READING_AT = 256;
    private static final int RESUME_READING_AT = 128;
    private static final int TOPIC_CACHE_SIZE = 64;

    private final MqttConnection owner;
    private final ChannelHandlerContext ctx;
    private final MqttConfig config;
    private final MqttSession session;
    private final MqttSessions sessions;
    private final BrokerConnection connection;
    private final boolean mqtt5;
    private final boolean problemInformation;

    /** Topic aliases the client set up, by alias; null when it may set none. */
    private final String[] inboundAliases;
    private final ArrayDeque<PendingAck> pendingAcks = new ArrayDeque<>();
    private int inboundQosInFlight;
    private int sendsInFlight;
    private Map<String, Destination> topicCache;

    MqttInbox(MqttConnection owner, ChannelHandlerContext ctx, MqttConfig config, MqttSession session,
              MqttSessions sessions, BrokerConnection connection, boolean mqtt5, boolean problemInformation) {
        this.owner = owner;
        this.ctx = ctx;
        this.config = config;
        this.session = session;
        this.sessions = sessions;
        this.connection = connection;
        this.mqtt5 = mqtt5;
        this.problemInformation = problemInformation;
        this.inboundAliases = mqtt5 && config.topicAliasMaximum() > 0
                ? new String[config.topicAliasMaximum() + 1] : null;
    }


    /** A PUBLISH from the client: routed, and acknowledged in order once the broker has it. */
    void publish(MqttPublishMessage message) {
        MqttFixedHeader fixed = message.fixedHeader();
        int qos = fixed.qosLevel().value();
        int packetId = message.variableHeader().packetId();
        String topic = message.variableHeader().topicName();
        MqttProperties props = mqtt5 ? message.variableHeader().properties() : MqttProperties.NO_PROPERTIES;
        for (MqttProperty<?> p : props.listAll()) {
            switch (p.propertyId()) {
                case MqttProperties.PAYLOAD_FORMAT_INDICATOR, MqttProperties.PUBLICATION_EXPIRY_INTERVAL,
                     MqttProperties.TOPIC_ALIAS, MqttProperties.RESPONSE_TOPIC, MqttProperties.CORRELATION_DATA,
                     MqttProperties.USER_PROPERTY, MqttProperties.CONTENT_TYPE -> {
                }
                case MqttProperties.SUBSCRIPTION_IDENTIFIER -> {
                    owner.protocolError("subscription identifier in a PUBLISH from a client [MQTT-3.3.4-6]");
                    return;
                }
                default -> {
                    // A property not defined for the packet makes it malformed (section 2.2.2.2).
                    owner.disconnect((byte) 0x81, "property " + p.propertyId() + " is not allowed in PUBLISH");
                    return;
                }
            }
        }
        if (inboundAliases != null || mqtt5) {
            MqttProperty<?> alias = props.getProperty(MqttProperties.TOPIC_ALIAS);
            if (alias != null) {
                int a = (Integer) alias.value();
                if (a == 0 || inboundAliases == null || a >= inboundAliases.length) {
                    owner.disconnect((byte) 0x94,
                            "topic alias " + a + " is not between 1 and " + config.topicAliasMaximum());
                    return;
                }
                if (topic.isEmpty()) {
                    topic = inboundAliases[a];
                    if (topic == null) {
                        owner.protocolError("topic alias " + a + " used before it was set [MQTT-3.3.4-?]");
                        return;
                    }
                } else {
                    inboundAliases[a] = topic;
                }
            }
        }
        if (!MqttTopics.isValidName(topic)) {
            owner.disconnect((byte) 0x90, "invalid topic name '" + topic + "' in PUBLISH");
            return;
        }
        if (topic.equals("$SYS") || topic.startsWith("$SYS/")) {
            // The broker's own status topics: a client may not publish there. MQTT 3.1.1 has no
            // way to say so, so its publish is acknowledged and dropped.
            log.debug("MQTT client {}: publish to {} dropped; $SYS topics are the broker's", session.clientId, topic);
            if (qos > 0) {
                PendingAck ack = new PendingAck(qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC, packetId);
                ack.reason = mqtt5 ? (byte) 0x87 : 0;
                ack.reasonString = "$SYS topics are the broker's";
                ack.done = true;
                inboundQosInFlight++;
                pendingAcks.add(ack);
                if (qos == 2 && !mqtt5) {
                    session.awaitingRelease.add(packetId);
                }
                flushAcks();
            }
            return;
        }
        if (fixed.isRetain() && !config.retainAvailable()) {
            owner.disconnect((byte) 0x9A, "retained messages are not available on this broker");
            return;
        }
        if (qos > 0 && inboundQosInFlight >= config.receiveMaximum() && mqtt5) {
            owner.disconnect((byte) 0x93, "more than receive-maximum " + config.receiveMaximum()
                    + " QoS 1 and 2 publishes unacknowledged");
            return;
        }
        if (qos == 2 && session.awaitingRelease.contains(packetId)) {
            // A resent QoS 2 PUBLISH whose first copy was taken: acknowledged again, not routed twice.
            PendingAck ack = new PendingAck(MqttMessageType.PUBREC, packetId);
            ack.done = true;
            inboundQosInFlight++;
            pendingAcks.add(ack);
            flushAcks();
            return;
        }
        byte[] body = ByteBufUtil.getBytes(message.payload());
        Message core = MqttMessages.toCore(coreTopic(topic), qos, fixed.isRetain(), body, props,
                System.currentTimeMillis());
        CompletionStage<Void> sent = fixed.isRetain() ? connection.sendRetained(core) : connection.send(core);
        sendsInFlight++;
        if (sendsInFlight == PAUSE_READING_AT) {
            ctx.channel().config().setAutoRead(false);
        }
        PendingAck ack = null;
        if (qos > 0) {
            ack = new PendingAck(qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC, packetId);
            inboundQosInFlight++;
            pendingAcks.add(ack);
        }
        PendingAck pending = ack;
        String topicName = topic;
        sent.whenComplete((ok, failure) -> owner.execute(() -> sendDone(pending, topicName, failure)));
    }

    /**
     * The core topic of a topic name, remembered for the next publishes: devices publish to the
     * same few topics over and over.
     */
    private Destination coreTopic(String topic) {
        if (topicCache == null) {
            topicCache = new HashMap<>();
        }
        Destination cached = topicCache.get(topic);
        if (cached == null) {
            if (topicCache.size() == TOPIC_CACHE_SIZE) {
                topicCache.clear();
            }
            cached = MqttTopics.toCore(topic);
            topicCache.put(topic, cached);
        }
        return cached;
    }

    private void sendDone(PendingAck ack, String topic, Throwable failure) {
        if (--sendsInFlight == RESUME_READING_AT && !owner.ended()) {
            ctx.channel().config().setAutoRead(true);
        }
        if (owner.ended()) {
            return;
        }
        if (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        if (failure != null) {
            String reason = failure instanceof BrokerException ? failure.getMessage()
                    : failure.getCause() != null ? failure.getCause().getMessage() : failure.toString();
            if (ack == null) {
                log.debug("MQTT client {}: QoS 0 publish to {} not taken: {}", session.clientId, topic, reason);
                return;
            }
            if (!mqtt5) {
                // MQTT 3.1.1 has no negative acknowledgement: the client learns by the close.
                log.info("MQTT client {} ({}) disconnected: publish to {} refused: {}", session.clientId,
                        ctx.channel().remoteAddress(), topic,
                        reason);
                ctx.close();
                return;
            }
            ack.reason = failure instanceof NotAuthorizedException ? (byte) 0x87 : (byte) 0x97;
            ack.reasonString = reason;
            ack.done = true;
            flushAcks();
            return;
        }
        if (ack == null) {
            return;
        }
        if (ack.type == MqttMessageType.PUBREC) {
            session.awaitingRelease.add(ack.packetId);
            if (session.persistent()) {
                sessions.save(session).whenComplete((ok, f) -> owner.execute(() -> {
                    ack.done = true;
                    flushAcks();
                }));
                return;
            }
        }
        ack.done = true;
        flushAcks();
    }

    /** Writes the acknowledgements that are ready, in the order the publishes came [MQTT-4.6.0-2]. */
    private void flushAcks() {
        if (owner.ended()) {
            return;
        }
        boolean wrote = false;
        while (!pendingAcks.isEmpty() && pendingAcks.peek().done) {
            PendingAck ack = pendingAcks.poll();
            if (ack.type == MqttMessageType.PUBACK || ack.failed()) {
                inboundQosInFlight--;
            }
            if (ack.type == MqttMessageType.PUBREC && ack.failed()) {
                session.awaitingRelease.remove(ack.packetId);
            }
            ctx.write(MqttPackets.pubReply(mqtt5, ack.type, ack.packetId, ack.reason,
                    problemString(ack.reasonString)));
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    /** PUBREL of an inbound QoS 2 exchange: the packet id is free again [MQTT-4.3.3]. */
    void pubRel(int packetId) {
        if (session.awaitingRelease.remove(packetId)) {
            inboundQosInFlight--;
            if (session.persistent()) {
                sessions.save(session);
            }
            ctx.writeAndFlush(MqttPackets.pubReply(mqtt5, MqttMessageType.PUBCOMP, packetId, (byte) 0, null));
        } else {
            ctx.writeAndFlush(MqttPackets.pubReply(mqtt5, MqttMessageType.PUBCOMP, packetId, (byte) 0x92,
                    problemString("packet identifier not found")));
        }
    }

    private String problemString(String reason) {
        return problemInformation ? reason : null;
    }

    /** A QoS 1 or 2 acknowledgement waiting for its publish to be taken by the broker. */
    private static final class PendingAck {
        final MqttMessageType type;
        final int packetId;
        byte reason;
        String reasonString;
        boolean done;

        PendingAck(MqttMessageType type, int packetId) {
            this.type = type;
            this.packetId = packetId;
        }

        /** Reason codes from 0x80 up are failures. */
        boolean failed() {
            return (reason & 0x80) != 0;
        }
    }
}
