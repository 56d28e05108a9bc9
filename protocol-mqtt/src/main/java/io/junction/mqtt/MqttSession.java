package io.junction.mqtt;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The state of one client id that outlives a connection [MQTT-4.1]: its subscriptions, the QoS 2
 * exchanges half done in either direction, and for how long it is kept after the client goes.
 * The queued messages themselves are in the broker's durable subscriptions. Used by one
 * connection's event loop at a time; handed over between loops through {@link MqttSessions}.
 */
final class MqttSession {

    /** Session expiry interval meaning "never" [MQTT-3.1.2-11 (v5)]. */
    static final long NEVER_EXPIRES = 0xFFFFFFFFL;

    final String clientId;
    /** Seconds the session is kept after a disconnect; 0 ends it with the connection. */
    long expirySeconds;
    final Map<String, SubscriptionOptions> subscriptions = new LinkedHashMap<>();
    /** Inbound QoS 2: packet ids PUBREC'd and not yet released by the client. */
    final Set<Integer> awaitingRelease = new LinkedHashSet<>();
    /** Outbound QoS 2: packet ids the client PUBREC'd, for which PUBREL awaits its PUBCOMP. */
    final Set<Integer> releasing = new LinkedHashSet<>();
    /**
     * Outbound QoS 1/2 messages sent and not acknowledged when the connection ended, by broker
     * message id: resent with the same packet id [MQTT-4.4.0-1]. Kept in memory only.
     */
    final Map<Long, Integer> unackedPacketIds = new HashMap<>();
    /** Whether the store holds this session (it was persistent at some point). */
    boolean stored;

    MqttSession(String clientId, long expirySeconds) {
        this.clientId = clientId;
        this.expirySeconds = expirySeconds;
    }

    boolean persistent() {
        return expirySeconds > 0;
    }

    /**
     * The options a subscription was made with.
     *
     * @param retainHandling 0 send retained messages on subscribe, 1 only for a new subscription, 2 never
     * @param subscriptionId MQTT 5 subscription identifier, 0 for none
     */
    record SubscriptionOptions(int qos, boolean noLocal, boolean retainAsPublished, int retainHandling,
                               int subscriptionId) {
    }

    // ---- stored form ----

    private static final int FORMAT = 1;

    byte[] encode(long disconnectedAt) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + subscriptions.size() * 32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(expirySeconds);
            out.writeLong(disconnectedAt);
            out.writeInt(subscriptions.size());
            for (Map.Entry<String, SubscriptionOptions> e : subscriptions.entrySet()) {
                SubscriptionOptions o = e.getValue();
                out.writeUTF(e.getKey());
                out.writeByte(o.qos());
                out.writeBoolean(o.noLocal());
                out.writeBoolean(o.retainAsPublished());
                out.writeByte(o.retainHandling());
                out.writeInt(o.subscriptionId());
            }
            writeIds(out, awaitingRelease);
            writeIds(out, releasing);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A stored session and the time its client went (0 if it was connected when the broker stopped). */
    record Stored(MqttSession session, long disconnectedAt) {
    }

    static Stored decode(String clientId, byte[] data) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        int format = in.readUnsignedByte();
        if (format != FORMAT) {
            throw new IOException("unknown MQTT session format " + format);
        }
        MqttSession session = new MqttSession(clientId, in.readLong());
        long disconnectedAt = in.readLong();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            String filter = in.readUTF();
            session.subscriptions.put(filter, new SubscriptionOptions(in.readUnsignedByte(), in.readBoolean(),
                    in.readBoolean(), in.readUnsignedByte(), in.readInt()));
        }
        readIds(in, session.awaitingRelease);
        readIds(in, session.releasing);
        return new Stored(session, disconnectedAt);
    }

    private static void writeIds(DataOutputStream out, Set<Integer> ids) throws IOException {
        out.writeInt(ids.size());
        for (int id : ids) {
            out.writeShort(id);
        }
    }

    private static void readIds(DataInputStream in, Set<Integer> ids) throws IOException {
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            ids.add(in.readUnsignedShort());
        }
    }
}
