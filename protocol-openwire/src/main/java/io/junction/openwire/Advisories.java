package io.junction.openwire;

import io.junction.core.model.Destination;
import io.junction.core.spi.BrokerEvents;
import io.junction.core.spi.ProtocolContext;
import org.apache.activemq.advisory.AdvisorySupport;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.activemq.command.ActiveMQTopic;
import org.apache.activemq.command.ConnectionId;
import org.apache.activemq.command.ConsumerId;
import org.apache.activemq.command.ConsumerInfo;
import org.apache.activemq.command.DataStructure;
import org.apache.activemq.command.DestinationInfo;
import org.apache.activemq.command.MessageId;
import org.apache.activemq.command.ProducerId;
import org.apache.activemq.command.RemoveInfo;
import org.apache.activemq.command.SessionId;
import org.apache.activemq.filter.DestinationFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ActiveMQ's advisory topics, which the ActiveMQ client and its applications subscribe to: {@code
 * ActiveMQ.Advisory.TempQueue} and {@code .TempTopic} (the client watches them by default to know
 * which temporary destinations exist, and refuses to send to one it has not heard of), and {@code
 * ActiveMQ.Advisory.Consumer.Queue.<name>} / {@code .Topic.<name>} (consumers coming and going,
 * with a {@code consumerCount} property). They are made from the broker's events for clients of
 * every protocol and go only to OpenWire consumers of those topics; a new subscriber first gets
 * what exists already, as from ActiveMQ.
 */
final class Advisories implements BrokerEvents {

    private static final Logger log = LoggerFactory.getLogger(Advisories.class);
    private static final String CONSUMER_COUNT = "consumerCount";

    /** An OpenWire consumer of advisory topics. */
    private record Subscriber(OpenWireConnection connection, ConsumerId id, DestinationFilter filter) {
    }

    private final ProtocolContext context;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    /** The consumers that exist, by destination, to tell a new consumer-advisory subscriber. */
    private final Map<Destination, Map<String, ConsumerInfo>> consumers = new ConcurrentHashMap<>();
    private final ProducerId producer = new ProducerId("ID:junction-advisories:1:1");
    private final AtomicLong sequence = new AtomicLong();

    Advisories(ProtocolContext context) {
        this.context = context;
        context.watch(this);
    }

    static boolean isAdvisory(ActiveMQDestination destination) {
        return destination.getPhysicalName().startsWith(AdvisorySupport.ADVISORY_TOPIC_PREFIX);
    }

    /** A consumer of an advisory topic (or pattern, or composite of them) starts. */
    void subscribe(OpenWireConnection connection, ConsumerId id, ActiveMQDestination destination) {
        Subscriber subscriber = new Subscriber(connection, id, DestinationFilter.parseFilter(destination));
        subscribers.add(subscriber);
        for (Destination temporary : context.temporaryDestinations()) {
            ActiveMQTopic topic = temporaryAdvisoryTopic(temporary);
            if (subscriber.filter().matches(topic)) {
                send(subscriber, topic, destinationInfo(temporary, DestinationInfo.ADD_OPERATION_TYPE), null);
            }
        }
        consumers.forEach((target, infos) -> {
            ActiveMQTopic topic = AdvisorySupport.getConsumerAdvisoryTopic(OpenWireMessages.fromCore(target));
            if (subscriber.filter().matches(topic)) {
                int count = infos.size();
                infos.values().forEach(info -> send(subscriber, topic, info, count));
            }
        });
    }

    void unsubscribe(OpenWireConnection connection, ConsumerId id) {
        subscribers.removeIf(s -> s.connection() == connection && s.id().equals(id));
    }

    void connectionClosed(OpenWireConnection connection) {
        subscribers.removeIf(s -> s.connection() == connection);
    }

    @Override
    public void temporaryDestinationCreated(Destination destination) {
        publish(temporaryAdvisoryTopic(destination), destinationInfo(destination, DestinationInfo.ADD_OPERATION_TYPE),
                null);
    }

    @Override
    public void temporaryDestinationDeleted(Destination destination) {
        publish(temporaryAdvisoryTopic(destination),
                destinationInfo(destination, DestinationInfo.REMOVE_OPERATION_TYPE), null);
    }

    @Override
    public void consumerOpened(Destination destination, String consumerId, int consumerCount) {
        ConsumerInfo info = new ConsumerInfo(advisoryConsumerId(consumerId));
        info.setDestination(OpenWireMessages.fromCore(destination));
        consumers.computeIfAbsent(destination, d -> new ConcurrentHashMap<>()).put(consumerId, info);
        publish(AdvisorySupport.getConsumerAdvisoryTopic(info.getDestination()), info, consumerCount);
    }

    @Override
    public void consumerClosed(Destination destination, String consumerId, int consumerCount) {
        consumers.computeIfPresent(destination, (d, infos) -> {
            infos.remove(consumerId);
            return infos.isEmpty() ? null : infos;
        });
        RemoveInfo removed = new RemoveInfo(advisoryConsumerId(consumerId));
        publish(AdvisorySupport.getConsumerAdvisoryTopic(OpenWireMessages.fromCore(destination)), removed,
                consumerCount);
    }

    private void publish(ActiveMQTopic topic, DataStructure data, Integer consumerCount) {
        for (Subscriber subscriber : subscribers) {
            if (subscriber.filter().matches(topic)) {
                send(subscriber, topic, data, consumerCount);
            }
        }
    }

    /** Each subscriber gets its own message: marshalling one changes it. */
    private void send(Subscriber subscriber, ActiveMQTopic topic, DataStructure data, Integer consumerCount) {
        ActiveMQMessage message = new ActiveMQMessage();
        message.setMessageId(new MessageId(producer, sequence.incrementAndGet()));
        message.setDestination(topic);
        message.setType(AdvisorySupport.ADIVSORY_MESSAGE_TYPE);
        message.setDataStructure(data);
        message.setPersistent(false);
        message.setTimestamp(System.currentTimeMillis());
        try {
            if (consumerCount != null) {
                message.setIntProperty(CONSUMER_COUNT, consumerCount);
            }
        } catch (jakarta.jms.JMSException e) {
            log.warn("OpenWire advisory on {} without its consumer count", topic, e);
        }
        message.setReadOnlyBody(true);
        message.setReadOnlyProperties(true);
        subscriber.connection().dispatchAdvisory(subscriber.id(), message);
    }

    private static ActiveMQTopic temporaryAdvisoryTopic(Destination destination) {
        return destination.type() == io.junction.core.model.DestinationType.TEMP_QUEUE
                ? AdvisorySupport.TEMP_QUEUE_ADVISORY_TOPIC : AdvisorySupport.TEMP_TOPIC_ADVISORY_TOPIC;
    }

    private static DestinationInfo destinationInfo(Destination destination, byte operation) {
        DestinationInfo info = new DestinationInfo();
        info.setDestination(OpenWireMessages.fromCore(destination));
        info.setOperationType(operation);
        return info;
    }

    /** The broker's consumer id ({@code <connection>.<n>}) as an OpenWire consumer id. */
    private static ConsumerId advisoryConsumerId(String consumerId) {
        int dot = consumerId.lastIndexOf('.');
        long value;
        try {
            value = Long.parseLong(consumerId.substring(dot + 1));
        } catch (NumberFormatException e) {
            value = 0;
        }
        String connection = dot > 0 ? consumerId.substring(0, dot) : consumerId;
        return new ConsumerId(new SessionId(new ConnectionId("ID:junction-" + connection), 0), value);
    }
}
