package io.junction.mqtt;

import io.junction.core.model.Message;
import io.junction.core.spi.Delivery;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.collection.IntObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Messages on their way to one connected client: the PUBLISH packets (with MQTT 5 properties,
 * topic aliases and the client's maximum packet size), the in-flight window of QoS 1 and 2
 * messages with their packet ids, and the QoS 2 release stage. Used on the connection's event
 * loop only. It writes without flushing; the connection flushes once per batch.
 */
final class MqttOutbox {

    private static final Logger log = LoggerFactory.getLogger(MqttOutbox.class);

    private final ChannelHandlerContext ctx;
    private final MqttSession session;
    private final MqttSessions sessions;
    private final boolean mqtt5;
    private final int window;
    private final long clientMaximumPacketSize;
    private final int clientTopicAliasMaximum;
    private final boolean problemInformation;

    private final IntObjectHashMap<Outbound> inFlight = new IntObjectHashMap<>();
    private final ArrayDeque<Outbound> waiting = new ArrayDeque<>();
    /** QoS 0 deliveries written while the channel was not writable, acknowledged once it is. */
    private ArrayDeque<Outbound> heldQos0;
    /** Subscriptions with QoS 0 deliveries written in this batch and not yet acknowledged. */
    private final ArrayDeque<MqttSubscription> writtenQos0 = new ArrayDeque<>(4);
    private int lastPacketId;
    private Map<String, Integer> topicAliases;

    /**
     * @param window                  QoS 1 and 2 messages sent before acknowledgements are awaited
     * @param clientMaximumPacketSize the client's MQTT 5 maximum-packet-size, or Long.MAX_VALUE
     * @param clientTopicAliasMaximum the client's MQTT 5 topic-alias-maximum, or 0
     */
    MqttOutbox(ChannelHandlerContext ctx, MqttSession session, MqttSessions sessions, boolean mqtt5, int window,
               long clientMaximumPacketSize, int clientTopicAliasMaximum, boolean problemInformation) {
        this.ctx = ctx;
        this.session = session;
        this.sessions = sessions;
        this.mqtt5 = mqtt5;
        this.window = window;
        this.clientMaximumPacketSize = clientMaximumPacketSize;
        this.clientTopicAliasMaximum = clientTopicAliasMaximum;
        this.problemInformation = problemInformation;
    }

    int window() {
        return window;
    }

    /** Unfinished QoS 2 hand-offs of a resumed session go on with PUBREL [MQTT-4.4.0-1]. */
    void resumeReleases() {
        for (int packetId : session.releasing) {
            inFlight.put(packetId, Outbound.RELEASING);
            ctx.write(MqttPackets.pubReply(mqtt5, MqttMessageType.PUBREL, packetId, (byte) 0, null));
        }
    }

    /** A message a subscription received from the broker. */
    void deliver(MqttSubscription subscription, Delivery delivery) {
        Message message = delivery.message();
        if (message.isExpired(System.currentTimeMillis())) {
            subscription.consumer().ack(delivery.id());
            return;
        }
        int qos = Math.min(subscription.options.qos(), MqttMessages.publishedQos(message));
        Outbound out = new Outbound(subscription, delivery, null, qos);
        if (qos == 0) {
            write(out, 0);
            // Taken from the broker with the batch it came in, unless the socket is backed up: then
            // the broker's copies wait, so a slow reader is held back in the broker (within its
            // queue bounds).
            if (ctx.channel().isWritable()) {
                if (subscription.written(delivery.id())) {
                    writtenQos0.add(subscription);
                }
            } else {
                if (heldQos0 == null) {
                    heldQos0 = new ArrayDeque<>();
                }
                heldQos0.add(out);
            }
        } else {
            send(out);
        }
    }

    /** Acknowledges the QoS 0 deliveries written in this batch, per subscription in one go. */
    void acknowledgeWritten() {
        for (MqttSubscription s; (s = writtenQos0.poll()) != null; ) {
            s.acknowledgeWritten();
        }
    }

    /** The channel is writable again: QoS 0 deliveries held back are acknowledged to the broker. */
    void writable() {
        if (heldQos0 == null) {
            return;
        }
        for (Outbound out; ctx.channel().isWritable() && (out = heldQos0.poll()) != null; ) {
            out.subscription.consumer().ack(out.delivery.id());
        }
    }

    /** Retained messages for a new subscription: sent after its SUBACK, with retain set. */
    void deliverRetained(MqttSubscription subscription, List<Message> retained) {
        for (Message message : retained) {
            int qos = Math.min(subscription.options.qos(), MqttMessages.publishedQos(message));
            Outbound out = new Outbound(subscription, null, message, qos);
            if (qos == 0) {
                write(out, 0);
            } else {
                send(out);
            }
        }
    }

    void pubAck(int packetId) {
        Outbound out = inFlight.remove(packetId);
        if (out != null && out.delivery != null) {
            out.subscription.consumer().ack(out.delivery.id());
        }
        sendWaiting();
    }

    void pubRec(int packetId, byte reason) {
        Outbound out = inFlight.get(packetId);
        if (out == null || out == Outbound.RELEASING) {
            ctx.writeAndFlush(MqttPackets.pubReply(mqtt5, MqttMessageType.PUBREL, packetId, (byte) 0x92,
                    problemInformation ? "packet identifier not found" : null));
            return;
        }
        if (out.delivery != null) {
            out.subscription.consumer().ack(out.delivery.id());
        }
        if ((reason & 0x80) != 0) {
            // The client refused the message: the exchange ends with its PUBREC [MQTT-4.3.3-4 (v5)].
            inFlight.remove(packetId);
            sendWaiting();
            return;
        }
        inFlight.put(packetId, Outbound.RELEASING);
        session.releasing.add(packetId);
        if (session.persistent()) {
            sessions.save(session);
        }
        ctx.writeAndFlush(MqttPackets.pubReply(mqtt5, MqttMessageType.PUBREL, packetId, (byte) 0, null));
    }

    void pubComp(int packetId) {
        if (inFlight.get(packetId) == Outbound.RELEASING) {
            inFlight.remove(packetId);
            session.releasing.remove(packetId);
        }
        sendWaiting();
    }

    /**
     * The connection ends: remembers the packet ids of messages sent and not acknowledged, so that
     * a resumed session sends them again with the same ids, and forgets the rest (the broker gives
     * unacknowledged deliveries back to their queues).
     */
    void close() {
        for (IntObjectHashMap.PrimitiveEntry<Outbound> e : inFlight.entries()) {
            Outbound out = e.value();
            if (out.delivery != null) {
                session.unackedPacketIds.put(out.delivery.message().brokerId(), e.key());
            }
        }
        inFlight.clear();
        waiting.clear();
        heldQos0 = null;
        writtenQos0.clear();
    }

    private void send(Outbound out) {
        if (inFlight.size() >= window) {
            waiting.add(out);
            return;
        }
        Integer previous = out.delivery == null ? null
                : session.unackedPacketIds.remove(out.delivery.message().brokerId());
        int packetId = previous != null && !inFlight.containsKey(previous) ? previous : nextPacketId();
        inFlight.put(packetId, out);
        write(out, packetId);
    }

    private void sendWaiting() {
        while (!waiting.isEmpty() && inFlight.size() < window) {
            send(waiting.poll());
        }
    }

    private int nextPacketId() {
        do {
            lastPacketId = lastPacketId == 65_535 ? 1 : lastPacketId + 1;
        } while (inFlight.containsKey(lastPacketId));
        return lastPacketId;
    }

    private void write(Outbound out, int packetId) {
        Message message = out.message();
        String topic = MqttTopics.fromCore(out.delivery != null ? out.delivery.destination().name()
                : message.destination().name());
        // Retained messages sent on subscribe carry the flag; live ones only with retain-as-published.
        boolean retain = out.delivery == null
                || (mqtt5 && out.subscription.options.retainAsPublished() && MqttMessages.publishedRetained(message));
        MqttProperties props = MqttProperties.NO_PROPERTIES;
        if (mqtt5) {
            props = MqttMessages.properties(message, System.currentTimeMillis());
            int subscriptionId = out.subscription.options.subscriptionId();
            if (subscriptionId > 0) {
                props.add(new IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, subscriptionId));
            }
            if (clientTopicAliasMaximum > 0) {
                topic = alias(topic, props);
            }
            if (MqttPackets.estimatedPublishSize(topic, props, message.body().length) > clientMaximumPacketSize) {
                // Too large for this client: dropped as if delivered [MQTT-3.1.2-25].
                log.debug("MQTT client {}: message to {} exceeds its maximum packet size; not sent",
                        session.clientId, topic);
                if (out.qos > 0) {
                    inFlight.remove(packetId);
                    if (out.delivery != null) {
                        out.subscription.consumer().ack(out.delivery.id());
                    }
                }
                return;
            }
        }
        boolean dup = out.delivery != null && out.delivery.redelivered() && out.qos > 0;
        MqttFixedHeader fixed = new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(out.qos), retain, 0);
        MqttPublishMessage publish = new MqttPublishMessage(fixed,
                new MqttPublishVariableHeader(topic, out.qos > 0 ? packetId : -1, props),
                Unpooled.wrappedBuffer(message.body()));
        ctx.write(publish, ctx.voidPromise());
    }

    /**
     * The topic to write, with an alias: the first topics get one (up to the client's maximum)
     * and are then sent by alias alone, with an empty topic name.
     */
    private String alias(String topic, MqttProperties props) {
        if (topicAliases == null) {
            topicAliases = new HashMap<>();
        }
        Integer alias = topicAliases.get(topic);
        if (alias != null) {
            props.add(new IntegerProperty(MqttProperties.TOPIC_ALIAS, alias));
            return "";
        }
        if (topicAliases.size() < clientTopicAliasMaximum) {
            int next = topicAliases.size() + 1;
            topicAliases.put(topic, next);
            props.add(new IntegerProperty(MqttProperties.TOPIC_ALIAS, next));
        }
        return topic;
    }

    /** A broker delivery, a retained message (no delivery), or a QoS 2 exchange at PUBREL. */
    private record Outbound(MqttSubscription subscription, Delivery delivery, Message retained, int qos) {

        static final Outbound RELEASING = new Outbound(null, null, null, 2);

        Message message() {
            return delivery != null ? delivery.message() : retained;
        }
    }
}
