package io.junction.mqtt;

import io.junction.core.model.Message;
import io.junction.core.spi.BrokerStatistics;
import io.junction.core.spi.ProtocolContext;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code $SYS/broker/...} status topics, as Mosquitto publishes them: retained QoS 0
 * messages, each published again when its value changes, every {@code sysInterval}. Counts of
 * clients are MQTT's; message counts and rates are the whole broker's.
 */
final class SysTopics {

    private static final Logger log = LoggerFactory.getLogger(SysTopics.class);
    private static final String VERSION = "Junction " + versionOfModule();

    private final ProtocolContext context;
    private final MqttSessions sessions;
    private final long intervalMillis;
    private final Map<String, String> published = new HashMap<>();
    private volatile Timeout next;
    private volatile boolean stopped;
    private long lastReceived;
    private long lastSent;
    private double receivedPerMinute;
    private double sentPerMinute;

    SysTopics(ProtocolContext context, MqttSessions sessions, long intervalMillis) {
        this.context = context;
        this.sessions = sessions;
        this.intervalMillis = intervalMillis;
    }

    void start() {
        BrokerStatistics stats = context.statistics();
        lastReceived = stats.messagesReceived();
        lastSent = stats.messagesDelivered();
        // Once before the listeners open, so that the first subscribers find them retained.
        publishAll();
        schedule(intervalMillis);
    }

    void stop() {
        stopped = true;
        Timeout timeout = next;
        if (timeout != null) {
            timeout.cancel();
        }
    }

    private void schedule(long delayMillis) {
        if (!stopped) {
            next = context.timer().newTimeout(t -> tick(), delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        try {
            publishAll();
        } catch (RuntimeException e) {
            log.warn("$SYS topics could not be published", e);
        }
        schedule(intervalMillis);
    }

    private void publishAll() {
        BrokerStatistics stats = context.statistics();
        long now = System.currentTimeMillis();
        // Per-minute rates smoothed over about a minute, like Mosquitto's load figures.
        double weight = 1 - Math.exp(-intervalMillis / 60_000.0);
        double minutes = intervalMillis / 60_000.0;
        receivedPerMinute += ((stats.messagesReceived() - lastReceived) / minutes - receivedPerMinute) * weight;
        sentPerMinute += ((stats.messagesDelivered() - lastSent) / minutes - sentPerMinute) * weight;
        lastReceived = stats.messagesReceived();
        lastSent = stats.messagesDelivered();
        int connected = sessions.connectedCount();
        int total = sessions.sessionCount();
        Runtime runtime = Runtime.getRuntime();

        publish("$SYS/broker/version", VERSION);
        publish("$SYS/broker/uptime", (now - stats.startedAt()) / 1000 + " seconds");
        publish("$SYS/broker/clients/connected", Integer.toString(connected));
        publish("$SYS/broker/clients/disconnected", Integer.toString(Math.max(0, total - connected)));
        publish("$SYS/broker/clients/total", Integer.toString(total));
        publish("$SYS/broker/messages/received", Long.toString(stats.messagesReceived()));
        publish("$SYS/broker/messages/sent", Long.toString(stats.messagesDelivered()));
        publish("$SYS/broker/load/messages/received/1min", String.format("%.2f", receivedPerMinute));
        publish("$SYS/broker/load/messages/sent/1min", String.format("%.2f", sentPerMinute));
        publish("$SYS/broker/publish/messages/dropped", Long.toString(stats.messagesDropped()));
        publish("$SYS/broker/subscriptions/count", Integer.toString(stats.subscriptions()));
        publish("$SYS/broker/retained messages/count", Integer.toString(stats.retainedMessages()));
        publish("$SYS/broker/heap/current", Long.toString(runtime.totalMemory() - runtime.freeMemory()));
    }

    private void publish(String topic, String value) {
        if (value.equals(published.put(topic, value))) {
            return;
        }
        Message message = MqttMessages.toCore(MqttTopics.toCore(topic), 0, true,
                value.getBytes(StandardCharsets.UTF_8), MqttProperties.NO_PROPERTIES, System.currentTimeMillis());
        sessions.internalConnection().sendRetained(message).whenComplete((ok, failure) -> {
            if (failure != null) {
                log.debug("$SYS topic {} not published: {}", topic, failure.getMessage());
            }
        });
    }

    private static String versionOfModule() {
        String version = SysTopics.class.getPackage().getImplementationVersion();
        return version != null ? version : "development build";
    }
}
