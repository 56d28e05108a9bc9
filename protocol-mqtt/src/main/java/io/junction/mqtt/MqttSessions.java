package io.junction.mqtt;

import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.BrokerException;
import io.junction.core.spi.ProtocolContext;
import io.junction.core.spi.StateStore;
import io.netty.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Every MQTT client id the broker knows: who is connected with it, the session kept for it while
 * it is away (stored when persistent, removed when it expires) and its delayed will. A new
 * connection claims its client id here, which takes it over from a connection still holding it.
 * All changes happen under this object's lock; they are few per connection.
 */
final class MqttSessions {

    static final String NAMESPACE = "mqtt.sessions";
    private static final Logger log = LoggerFactory.getLogger(MqttSessions.class);

    private final ProtocolContext context;
    private final MqttConfig config;
    private final StateStore store;
    /** The module's own connection, for wills and $SYS messages. */
    private final BrokerConnection internal;
    private final Map<String, Entry> entries = new HashMap<>();
    /** Client ids by the time of their last CONNECT (System.nanoTime), oldest first. */
    private final LinkedHashMap<String, Long> recentConnects = new LinkedHashMap<>();
    private int connected;
    private long connectWindowStart;
    private int connectsInWindow;

    MqttSessions(ProtocolContext context, MqttConfig config, BrokerConnection internal) {
        this.context = context;
        this.config = config;
        this.store = context.state(NAMESPACE);
        this.internal = internal;
    }

    /** Reads the stored sessions and schedules the expiry of each. */
    synchronized void load() {
        long now = System.currentTimeMillis();
        int loaded = 0;
        for (Map.Entry<String, byte[]> e : store.load().entrySet()) {
            try {
                MqttSession.Stored stored = MqttSession.decode(e.getKey(), e.getValue());
                Entry entry = new Entry(e.getKey());
                entry.session = stored.session();
                entry.session.stored = true;
                entries.put(e.getKey(), entry);
                // A client connected when the broker stopped is taken to have gone now.
                long goneAt = stored.disconnectedAt() == 0 ? now : stored.disconnectedAt();
                scheduleExpiry(e.getKey(), entry, goneAt, now);
                loaded++;
            } catch (IOException | RuntimeException ex) {
                log.error("Stored MQTT session of client {} cannot be read and is dropped", e.getKey(), ex);
                store.remove(e.getKey());
            }
        }
        if (loaded > 0) {
            log.info("Recovered {} persistent MQTT sessions", loaded);
        }
    }

    /** What a connection finds when it claims a client id. */
    record Claim(Entry entry, MqttConnection previousOwner) {
    }

    /**
     * Claims the client id for a connection, or returns null when connects come too fast (for the
     * broker, or for this client id). The caller then takes the id over from the previous owner,
     * if any, and only after that reads {@link #session(Entry)}.
     */
    synchronized Claim claim(String clientId, MqttConnection connection) {
        long now = System.nanoTime();
        if (config.maxConnectsPerSecond() > 0) {
            if (now - connectWindowStart >= TimeUnit.SECONDS.toNanos(1)) {
                connectWindowStart = now;
                connectsInWindow = 0;
            }
            if (++connectsInWindow > config.maxConnectsPerSecond()) {
                return null;
            }
        }
        if (connectedTooRecently(clientId, now)) {
            return null;
        }
        Entry entry = entries.computeIfAbsent(clientId, Entry::new);
        MqttConnection previous = entry.owner;
        entry.owner = connection;
        if (previous == null) {
            connected++;
        }
        cancel(entry.expiry);
        entry.expiry = null;
        // A client back before its will delay ran out keeps the will from being sent [MQTT-3.1.3-9].
        cancel(entry.willTimer);
        entry.willTimer = null;
        entry.pendingWill = null;
        return new Claim(entry, previous);
    }

    /**
     * Whether the client id connected less than {@code clientReconnectInterval} ago; records this
     * connect. The record outlives sessions that end with their connection, and is pruned from
     * its oldest end, so it holds only the ids seen within the interval.
     */
    private boolean connectedTooRecently(String clientId, long now) {
        long interval = TimeUnit.MILLISECONDS.toNanos(config.clientReconnectIntervalMillis());
        if (interval == 0) {
            return false;
        }
        for (var it = recentConnects.entrySet().iterator(); it.hasNext(); ) {
            if (now - it.next().getValue() < interval) {
                break;
            }
            it.remove();
        }
        Long last = recentConnects.get(clientId);
        if (last != null && now - last < interval) {
            // Refused attempts do not count: the client may come back once the interval is over.
            return true;
        }
        recentConnects.remove(clientId);
        recentConnects.put(clientId, now);
        return false;
    }

    /** The session kept for the client id, or null; read once the previous owner has let go. */
    synchronized MqttSession session(Entry entry) {
        return entry.session;
    }

    /**
     * Forgets the kept session of a client that connects with clean start: its durable
     * subscriptions and their messages go.
     */
    void discard(MqttSession session) {
        removeSubscriptions(session);
        if (session.stored) {
            session.stored = false;
            store.remove(session.clientId);
        }
    }

    /** Stores a persistent session of a connected client after a change. */
    CompletionStage<Void> save(MqttSession session) {
        session.stored = true;
        return store.put(session.clientId, session.encode(0));
    }

    /**
     * A connection ended. When it still owned the client id, a persistent session is kept (and
     * stored) until it expires, and a will is published now or after its delay; when another
     * connection took the id over, the session passes to it.
     *
     * @param will the will to publish, or null after a normal DISCONNECT
     */
    void release(MqttConnection connection, MqttSession session, Will will) {
        Will publishNow = null;
        synchronized (this) {
            Entry entry = entries.get(session.clientId);
            if (entry == null) {
                return;
            }
            entry.session = session.persistent() ? session : null;
            if (entry.owner != connection) {
                // Taken over: the new connection resumes or discards the session. A will waits for
                // nothing now that the client is back, unless it asked for no delay.
                publishNow = will != null && will.delaySeconds() == 0 ? will : null;
            } else {
                entry.owner = null;
                connected--;
                long now = System.currentTimeMillis();
                if (session.persistent()) {
                    session.stored = true;
                    store.put(session.clientId, session.encode(now));
                    scheduleExpiry(session.clientId, entry, now, now);
                } else {
                    entries.remove(session.clientId);
                    if (session.stored) {
                        discard(session);
                    }
                }
                if (will != null) {
                    if (will.delaySeconds() > 0 && session.persistent()) {
                        entry.pendingWill = will;
                        entry.willTimer = context.timer().newTimeout(t -> publishPendingWill(session.clientId, entry),
                                Math.min(will.delaySeconds(), session.expirySeconds), TimeUnit.SECONDS);
                    } else {
                        publishNow = will;
                    }
                }
            }
        }
        if (publishNow != null) {
            publish(publishNow);
        }
    }

    /** A connection that claimed the client id ended before it attached the session. */
    synchronized void abandon(MqttConnection connection, Entry entry) {
        if (entry.owner != connection) {
            return;
        }
        entry.owner = null;
        connected--;
        if (entry.session == null) {
            entries.remove(entry.clientId, entry);
        } else {
            long now = System.currentTimeMillis();
            scheduleExpiry(entry.clientId, entry, now, now);
        }
    }

    synchronized int connectedCount() {
        return connected;
    }

    synchronized int sessionCount() {
        return entries.size();
    }

    /** Tells every connected client that the broker is stopping. */
    void shutdown() {
        List<MqttConnection> owners = new ArrayList<>();
        synchronized (this) {
            for (Entry entry : entries.values()) {
                cancel(entry.expiry);
                cancel(entry.willTimer);
                if (entry.owner != null) {
                    owners.add(entry.owner);
                }
            }
        }
        owners.forEach(MqttConnection::serverShuttingDown);
    }

    BrokerConnection internalConnection() {
        return internal;
    }

    private void scheduleExpiry(String clientId, Entry entry, long goneAt, long now) {
        long expiry = entry.session.expirySeconds;
        if (expiry >= MqttSession.NEVER_EXPIRES) {
            return;
        }
        long delayMillis = Math.max(0, goneAt + expiry * 1000 - now);
        entry.expiry = context.timer().newTimeout(t -> expire(clientId, entry), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void expire(String clientId, Entry entry) {
        MqttSession session;
        Will will;
        synchronized (this) {
            if (entries.get(clientId) != entry || entry.owner != null || entry.session == null) {
                return;
            }
            entries.remove(clientId);
            session = entry.session;
            will = entry.pendingWill;
            cancel(entry.willTimer);
        }
        log.info("MQTT session of client {} expired after {} s away; its subscriptions are removed", clientId,
                session.expirySeconds);
        discard(session);
        if (will != null) {
            publish(will);
        }
    }

    private void publishPendingWill(String clientId, Entry entry) {
        Will will;
        synchronized (this) {
            will = entry.pendingWill;
            entry.pendingWill = null;
            entry.willTimer = null;
        }
        if (will != null) {
            log.debug("Publishing the delayed will of client {}", clientId);
            publish(will);
        }
    }

    void publish(Will will) {
        (will.retain() ? internal.sendRetained(will.message()) : internal.send(will.message()))
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        log.warn("Will message to {} could not be published: {}", will.message().destination(),
                                failure.getMessage());
                    }
                });
    }

    private void removeSubscriptions(MqttSession session) {
        for (Map.Entry<String, MqttSession.SubscriptionOptions> s : session.subscriptions.entrySet()) {
            if (MqttSubscription.isDurable(s.getKey(), s.getValue(), session)) {
                try {
                    context.removeDurableSubscription(session.clientId, s.getKey());
                } catch (BrokerException e) {
                    log.warn("Subscription {} of MQTT client {} could not be removed: {}", s.getKey(),
                            session.clientId, e.getMessage());
                }
            }
        }
    }

    private static void cancel(Timeout timeout) {
        if (timeout != null) {
            timeout.cancel();
        }
    }

    /** One client id's slot; fields guarded by the registry's lock. */
    static final class Entry {
        final String clientId;
        MqttSession session;
        MqttConnection owner;
        Timeout expiry;
        Timeout willTimer;
        Will pendingWill;

        Entry(String clientId) {
            this.clientId = clientId;
        }
    }
}
