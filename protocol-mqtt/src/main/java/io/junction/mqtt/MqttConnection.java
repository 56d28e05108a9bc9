package io.junction.mqtt;

import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.spi.AuthenticationException;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.Credentials;
import io.junction.core.spi.LoginOutcome;
import io.junction.core.spi.Principal;
import io.junction.core.spi.BrokerException;
import io.junction.core.spi.TooManyConnectionsException;
import io.junction.core.spi.NotAuthorizedException;
import io.junction.core.spi.Delivery;
import io.junction.core.spi.ProtocolContext;
import io.junction.core.spi.SubscriptionSpec;
import io.junction.mqtt.MqttSession.SubscriptionOptions;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One MQTT network connection: CONNECT and the session it attaches, PUBLISH both ways at QoS 0, 1
 * and 2, subscriptions, keep-alive and the will. Runs on the channel's event loop; deliveries from
 * the broker hop onto it.
 */
final class MqttConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(MqttConnection.class);
    private static final int LEVEL_5 = 5;
    private static final int QOS0_PREFETCH = 1000;

    private final ProtocolContext context;
    private final MqttConfig config;
    private final int maxPacketSize;
    private final MqttSessions sessions;

    private ChannelHandlerContext ctx;
    private int level;
    private boolean connectReceived;
    private boolean connected;
    private boolean ended;
    private String clientId;
    private MqttSessions.Entry entry;
    private MqttSession session;
    private BrokerConnection connection;
    /** Who the client is, once its CONNECT credentials are accepted. */
    private Principal principal;
    private Will will;
    private boolean normalDisconnect;
    /** A DISCONNECT for a protocol error is on its way; nothing more is said. */
    private boolean closing;
    private long packetsRead;
    private ScheduledFuture<?> connectTimeout;
    private final CompletableFuture<Void> released = new CompletableFuture<>();
    /** Packets that came after CONNECT while the session was being attached; null when none. */
    private List<MqttMessage> readBeforeConnack;

    // What the client announced (MQTT 5), with the defaults of a client that said nothing.
    private int clientReceiveMaximum = 65_535;
    private long clientMaximumPacketSize = Long.MAX_VALUE;
    private int clientTopicAliasMaximum;
    private boolean problemInformation = true;

    // Messages both ways (MqttInbox, MqttOutbox) and the subscriptions they come from.
    private final Map<String, MqttSubscription> subscriptions = new HashMap<>();
    private MqttOutbox outbox;
    private MqttInbox inbox;
    /** Deliveries from the broker's dispatch threads, waiting for this event loop. */
    private final Queue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    /** @param maxPacketSize the largest packet the client may send: its listener's maxMessageSize */
    MqttConnection(ProtocolContext context, MqttConfig config, MqttSessions sessions, int maxPacketSize) {
        this.context = context;
        this.config = config;
        this.sessions = sessions;
        this.maxPacketSize = maxPacketSize;
    }

    // ---- channel events ----

    /** Installed once the protocol is known, on a channel already active. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        connectTimeout = ctx.executor().schedule(() -> {
            if (!connectReceived) {
                log.info("MQTT connection from {} closed: no CONNECT within {} ms", remote(),
                        config.connectTimeoutMillis());
                ctx.close();
            }
        }, config.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof MqttMessage packet) {
                packetsRead++;
                read(packet);
            }
        } catch (RuntimeException e) {
            log.warn("MQTT client {} ({}): unexpected error, closing the connection", clientId, remote(), e);
            disconnect((byte) 0x83, "implementation specific error");
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // What the packets just read caused to be written (acknowledgements, the next in-flight
        // messages) goes out together.
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (outbox != null && ctx.channel().isWritable()) {
            outbox.writable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
        }
        end(normalDisconnect ? null : will, "connection closed");
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            log.info("MQTT client {} ({}) sent nothing for 1.5 times its keep-alive; disconnecting", clientId,
                    remote());
            disconnect((byte) 0x8D, "keep alive timeout");
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("MQTT client {} ({}): connection error: {}", clientId, remote(), cause.toString());
        ctx.close();
    }

    private void read(MqttMessage packet) {
        if (packet.decoderResult().isFailure()) {
            badPacket(packet.decoderResult().cause());
            return;
        }
        MqttMessageType type = packet.fixedHeader().messageType();
        if (type == MqttMessageType.CONNECT) {
            if (connectReceived) {
                protocolError("a second CONNECT [MQTT-3.1.0-2]");
            } else {
                connect((MqttConnectMessage) packet);
            }
            return;
        }
        if (!connected) {
            if (!connectReceived) {
                log.info("MQTT connection from {} closed: first packet was {}, not CONNECT [MQTT-3.1.0-1]", remote(),
                        type);
                ctx.close();
            } else if (!ended) {
                // A client may send packets right after CONNECT; they wait for the session.
                if (readBeforeConnack == null) {
                    readBeforeConnack = new ArrayList<>(2);
                }
                readBeforeConnack.add((MqttMessage) ReferenceCountUtil.retain(packet));
            }
            return;
        }
        switch (type) {
            case PUBLISH -> inbox.publish((MqttPublishMessage) packet);
            case PUBACK -> outbox.pubAck(MqttPackets.packetId(packet));
            case PUBREC -> outbox.pubRec(MqttPackets.packetId(packet), MqttPackets.reasonCode(packet));
            case PUBREL -> inbox.pubRel(MqttPackets.packetId(packet));
            case PUBCOMP -> outbox.pubComp(MqttPackets.packetId(packet));
            case SUBSCRIBE -> subscribe((MqttSubscribeMessage) packet);
            case UNSUBSCRIBE -> unsubscribe((MqttUnsubscribeMessage) packet);
            case PINGREQ -> ctx.writeAndFlush(MqttMessage.PINGRESP);
            case DISCONNECT -> clientDisconnect(packet);
            case AUTH -> disconnect((byte) 0x8C, "enhanced authentication is not supported");
            default -> protocolError("a " + type + " packet, which only a server sends");
        }
    }

    private void badPacket(Throwable cause) {
        if (!connectReceived && cause instanceof MqttUnacceptableProtocolVersionException) {
            log.info("MQTT connection from {} refused: {}", remote(), cause.getMessage());
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, null);
        } else if (!connectReceived && cause instanceof MqttIdentifierRejectedException) {
            log.info("MQTT connection from {} refused: {}", remote(), cause.getMessage());
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                    MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID);
        } else if (cause instanceof TooLongFrameException) {
            if (!connected) {
                log.info("MQTT connection from {} closed: packet larger than {} bytes", remote(), maxPacketSize);
                ctx.close();
            } else {
                disconnect((byte) 0x95, "packet larger than the maximum packet size " + maxPacketSize);
            }
        } else {
            String reason = "malformed packet: " + cause.getMessage();
            // The codec refuses wildcards in a PUBLISH topic before this handler sees the packet.
            boolean topic = String.valueOf(cause.getMessage()).contains("invalid publish topic");
            if (!connected) {
                log.info("MQTT connection from {} closed: {}", remote(), reason);
                ctx.close();
            } else {
                disconnect(topic ? (byte) 0x90 : (byte) 0x81, reason);
            }
        }
    }

    // ---- connect ----

    private void connect(MqttConnectMessage message) {
        connectReceived = true;
        connectTimeout.cancel(false);
        MqttConnectVariableHeader header = message.variableHeader();
        MqttConnectPayload payload = message.payload();
        level = header.version();
        boolean cleanStart = header.isCleanSession();
        String id = payload.clientIdentifier() == null ? "" : payload.clientIdentifier();
        MqttProperties props = header.properties();

        String malformed = connectFlagsError(header);
        if (malformed != null) {
            log.info("MQTT connection from {} closed: malformed CONNECT: {}", remote(), malformed);
            refuse(null, MqttConnectReturnCode.CONNECTION_REFUSED_MALFORMED_PACKET);
            return;
        }
        long requestedExpiry = cleanStart ? 0 : MqttSession.NEVER_EXPIRES;
        if (level == LEVEL_5) {
            requestedExpiry = MqttPackets.intProperty(props, MqttProperties.SESSION_EXPIRY_INTERVAL, 0);
            int receiveMaximum = (int) MqttPackets.intProperty(props, MqttProperties.RECEIVE_MAXIMUM, 65_535);
            long maximumPacketSize = MqttPackets.intProperty(props, MqttProperties.MAXIMUM_PACKET_SIZE, Long.MAX_VALUE);
            if (receiveMaximum == 0 || maximumPacketSize == 0) {
                refuseProtocolError("receive-maximum and maximum-packet-size must not be 0 [MQTT-3.1.2-21]");
                return;
            }
            if (props.getProperty(MqttProperties.AUTHENTICATION_METHOD) != null) {
                log.info("MQTT connection from {} refused: enhanced authentication is not supported", remote());
                refuse(null, MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD);
                return;
            }
            clientReceiveMaximum = receiveMaximum;
            clientMaximumPacketSize = maximumPacketSize;
            clientTopicAliasMaximum = (int) MqttPackets.intProperty(props, MqttProperties.TOPIC_ALIAS_MAXIMUM, 0);
            problemInformation = MqttPackets.intProperty(props, MqttProperties.REQUEST_PROBLEM_INFORMATION, 1) == 1;
        }
        boolean assigned = false;
        if (id.isEmpty()) {
            if (!cleanStart || level == 3) {
                // MQTT 3.1 requires an id; later levels allow none only with a clean session [MQTT-3.1.3-8].
                log.info("MQTT connection from {} refused: empty client id without clean session", remote());
                refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                        MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID);
                return;
            }
            id = "junction-" + UUID.randomUUID();
            assigned = true;
        } else if (ByteBufUtil.utf8Bytes(id) > config.maxClientIdLength() || id.indexOf('\uFFFD') >= 0
                || id.indexOf('\u0000') >= 0) {
            log.info("MQTT connection from {} refused: client id '{}' is longer than {} bytes or not valid UTF-8",
                    remote(), id, config.maxClientIdLength());
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                    MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID);
            return;
        }
        clientId = id;
        if (header.isWillFlag()) {
            String willTopic = payload.willTopic();
            if (willTopic == null || !MqttTopics.isValidName(willTopic)) {
                log.info("MQTT connection from {} refused: will topic '{}' is not a valid topic name", remote(),
                        willTopic);
                refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNSPECIFIED_ERROR,
                        MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID);
                return;
            }
            MqttProperties willProps = level == LEVEL_5 ? payload.willProperties() : MqttProperties.NO_PROPERTIES;
            long delay = level == LEVEL_5 ? MqttPackets.intProperty(willProps, MqttProperties.WILL_DELAY_INTERVAL, 0) : 0;
            byte[] body = payload.willMessageInBytes() == null ? new byte[0] : payload.willMessageInBytes();
            Message willMessage = MqttMessages.toCore(MqttTopics.toCore(willTopic), header.willQos(),
                    header.isWillRetain(), body, willProps, System.currentTimeMillis());
            will = new Will(willMessage, header.isWillRetain(), delay);
        }
        long expiry = config.grantSessionExpiry(requestedExpiry);
        int keepAlive = header.keepAliveTimeSeconds();
        int grantedKeepAlive = keepAlive;
        if (config.maxKeepAliveSeconds() > 0 && (keepAlive == 0 || keepAlive > config.maxKeepAliveSeconds())) {
            grantedKeepAlive = config.maxKeepAliveSeconds();
        }
        // Before the session is claimed: a client that is refused must not take over anyone's session.
        // Nothing more is read until the login is decided and the session attached; packets already
        // read behind CONNECT wait in readBeforeConnack.
        ctx.channel().config().setAutoRead(false);
        Credentials credentials = Credentials.of(ctx.channel(), header.hasUserName() ? payload.userName() : null,
                header.hasPassword() ? payload.passwordInBytes() : null);
        boolean assignedId = assigned;
        int keepAliveToUse = grantedKeepAlive;
        long expiryAsked = requestedExpiry;
        boolean responseInformation = level == LEVEL_5
                && MqttPackets.intProperty(props, MqttProperties.REQUEST_RESPONSE_INFORMATION, 0) == 1;
        LoginOutcome.onEventLoop(ctx.channel(), context.authenticate("mqtt", credentials), (who, refusal) -> {
            if (refusal != null) {
                refuseLogin(refusal);
            } else if (!ended) {
                principal = who;
                claimSession(cleanStart, expiry, expiryAsked, assignedId, keepAlive, keepAliveToUse,
                        responseInformation);
            }
        });
    }

    /** 3.1.1 answers 0x05 not authorized for every refusal but a busy server, as Mosquitto does; 5.0 tells them apart. */
    private void refuseLogin(AuthenticationException refusal) {
        MqttConnectReturnCode v3 = MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
        MqttConnectReturnCode v5 = switch (refusal.reason()) {
            case NOT_AUTHORIZED -> MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5;
            case BAD_CREDENTIALS -> MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD;
            case SERVER_BUSY -> {
                v3 = MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
                yield MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_BUSY;
            }
        };
        MqttConnectReturnCode v3Code = v3;
        ctx.executor().schedule(() -> refuse(v3Code, v5), refusal.delayMillis(), TimeUnit.MILLISECONDS);
    }

    /** Takes the client id over from another connection that holds it, then attaches the session. */
    private void claimSession(boolean cleanStart, long expiry, long requestedExpiry, boolean assignedId, int keepAlive,
                              int grantedKeepAlive, boolean responseInformation) {
        MqttSessions.Claim claim = sessions.claim(clientId, this);
        if (claim == null) {
            log.info("MQTT connection from {} refused: client {} connects faster than allowed", remote(), clientId);
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                    MqttConnectReturnCode.CONNECTION_REFUSED_CONNECTION_RATE_EXCEEDED);
            return;
        }
        entry = claim.entry();
        CompletionStage<Void> previousGone = claim.previousOwner() == null ? CompletableFuture.completedFuture(null)
                : claim.previousOwner().takeOver();
        previousGone.whenComplete((ok, failure) -> execute(() -> attach(cleanStart, expiry, requestedExpiry,
                assignedId, keepAlive, grantedKeepAlive, responseInformation)));
    }

    /** What is wrong with the CONNECT flags that Netty's codec does not check, or null. */
    private String connectFlagsError(MqttConnectVariableHeader header) {
        if (!header.isWillFlag() && (header.willQos() != 0 || header.isWillRetain())) {
            return "will QoS or will retain set without the will flag [MQTT-3.1.2-11], [MQTT-3.1.2-13], [MQTT-3.1.2-15]";
        }
        if (header.willQos() > 2) {
            return "will QoS 3 [MQTT-3.1.2-14]";
        }
        if (level != LEVEL_5 && header.hasPassword() && !header.hasUserName()) {
            return "password without user name [MQTT-3.1.2-22]";
        }
        return null;
    }

    /** Second half of CONNECT, once no other connection holds the client id. */
    private void attach(boolean cleanStart, long expiry, long requestedExpiry, boolean assignedId, int keepAlive,
                        int grantedKeepAlive, boolean responseInformation) {
        if (!ctx.channel().isActive()) {
            end(null, "connection closed while connecting");
            return;
        }
        MqttSession kept = sessions.session(entry);
        if (cleanStart && kept != null) {
            sessions.discard(kept);
            kept = null;
        }
        boolean sessionPresent = kept != null;
        session = kept != null ? kept : new MqttSession(clientId, expiry);
        session.expirySeconds = expiry;
        try {
            connection = context.openConnection("mqtt", ctx.channel().remoteAddress(), clientId, principal);
        } catch (TooManyConnectionsException e) {
            // The broker has logged it, for every protocol alike.
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                    MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED);
            return;
        } catch (BrokerException e) {
            log.info("MQTT connection from {} refused: {}", remote(), e.getMessage());
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                    MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID);
            return;
        }
        outbox = new MqttOutbox(ctx, session, sessions, level == LEVEL_5,
                Math.min(clientReceiveMaximum, config.maxInflight()), clientMaximumPacketSize, clientTopicAliasMaximum,
                problemInformation);
        inbox = new MqttInbox(this, ctx, config, session, sessions, connection, level == LEVEL_5,
                problemInformation);
        for (Map.Entry<String, SubscriptionOptions> s : new ArrayList<>(session.subscriptions.entrySet())) {
            if (!bind(s.getKey(), s.getValue())) {
                session.subscriptions.remove(s.getKey());
            }
        }
        MqttProperties props = new MqttProperties();
        if (level == LEVEL_5) {
            if (assignedId) {
                props.add(new StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, clientId));
            }
            if (expiry != requestedExpiry) {
                props.add(new IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, (int) expiry));
            }
            if (grantedKeepAlive != keepAlive) {
                props.add(new IntegerProperty(MqttProperties.SERVER_KEEP_ALIVE, grantedKeepAlive));
            }
            props.add(new IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, config.receiveMaximum()));
            props.add(new IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, maxPacketSize));
            props.add(new IntegerProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM, config.topicAliasMaximum()));
            props.add(new IntegerProperty(MqttProperties.RETAIN_AVAILABLE, config.retainAvailable() ? 1 : 0));
            props.add(new IntegerProperty(MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE, 1));
            props.add(new IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1));
            props.add(new IntegerProperty(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, 1));
            if (responseInformation) {
                props.add(new StringProperty(MqttProperties.RESPONSE_INFORMATION, "response/" + clientId));
            }
        }
        ctx.write(MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(sessionPresent)
                .properties(props)
                .build());
        connected = true;
        if (session.persistent()) {
            sessions.save(session);
        }
        outbox.resumeReleases();
        ctx.flush();
        if (grantedKeepAlive > 0) {
            long idleMillis = grantedKeepAlive * 1500L;
            ctx.pipeline().addBefore(ctx.name(), "mqtt-keepalive",
                    new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS));
        }
        ctx.channel().config().setAutoRead(true);
        List<MqttMessage> early = readBeforeConnack;
        readBeforeConnack = null;
        if (early != null) {
            for (MqttMessage packet : early) {
                try {
                    if (!ended) {
                        read(packet);
                    }
                } finally {
                    ReferenceCountUtil.release(packet);
                }
            }
        }
    }

    /**
     * Another connection claims this one's client id [MQTT-3.1.4-3]: this one is told (MQTT 5
     * reason 0x8E), closed, and lets go of the session. Completes once the session is released.
     */
    CompletionStage<Void> takeOver() {
        if (!execute(() -> {
            if (!ended) {
                log.info("MQTT client {} ({}) taken over by a new connection with the same client id", clientId,
                        remote());
                if (connected && level == LEVEL_5) {
                    ctx.writeAndFlush(MqttPackets.disconnect((byte) 0x8E, problemString("session taken over")));
                }
                end(will, "session taken over");
                ctx.close();
            }
        })) {
            end(null, "event loop stopped");
        }
        return released;
    }

    /** The broker is stopping: MQTT 5 clients hear why (0x8B); no will is published. */
    void serverShuttingDown() {
        execute(() -> {
            if (!ended) {
                if (connected && level == LEVEL_5) {
                    ctx.writeAndFlush(MqttPackets.disconnect((byte) 0x8B, problemString("server shutting down")));
                }
                normalDisconnect = true;
                ctx.close();
            }
        });
    }

    private void clientDisconnect(MqttMessage packet) {
        byte reason = 0;
        if (level == LEVEL_5 && packet.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header) {
            reason = header.reasonCode();
            MqttProperty<?> expiry = header.properties().getProperty(MqttProperties.SESSION_EXPIRY_INTERVAL);
            if (expiry != null) {
                long requested = Integer.toUnsignedLong((Integer) expiry.value());
                if (session.expirySeconds == 0 && requested > 0) {
                    protocolError("session-expiry-interval set on DISCONNECT after CONNECT set 0 [MQTT-3.14.2-2]");
                    return;
                }
                session.expirySeconds = config.grantSessionExpiry(requested);
            }
        }
        // 0x04: disconnect with will message; any other reason discards the will [MQTT-3.14.4-3].
        normalDisconnect = reason != 0x04;
        ctx.close();
    }

    /**
     * Releases everything the connection holds, once: broker consumers (their unacknowledged
     * messages go back to the queues), then the session, which is kept or dropped, and the will.
     */
    private void end(Will willToPublish, String reason) {
        if (ended) {
            return;
        }
        ended = true;
        if (outbox != null) {
            outbox.close();
        }
        if (connection != null) {
            connection.close(reason);
        }
        if (entry != null && session != null) {
            sessions.release(this, session, willToPublish);
        } else if (entry != null) {
            // Closed before the session was attached: whatever session was kept stays kept.
            sessions.abandon(this, entry);
        }
        if (readBeforeConnack != null) {
            readBeforeConnack.forEach(ReferenceCountUtil::release);
            readBeforeConnack = null;
        }
        subscriptions.clear();
        released.complete(null);
    }

    // ---- delivery to the client ----

    /** From a queue's dispatch thread: hands the delivery to the event loop. */
    void deliverLater(MqttSubscription subscription, Delivery delivery) {
        arrivals.add(new Arrival(subscription, delivery));
        // One task drains all that arrived meanwhile, and flushes once.
        if (drainScheduled.compareAndSet(false, true) && !execute(this::drainArrivals)) {
            arrivals.clear();
        }
    }

    private void drainArrivals() {
        drainScheduled.set(false);
        for (Arrival a; (a = arrivals.poll()) != null; ) {
            deliver(a.subscription(), a.delivery());
        }
        ctx.flush();
        if (outbox != null && !ended) {
            outbox.acknowledgeWritten();
        }
    }

    private record Arrival(MqttSubscription subscription, Delivery delivery) {
    }

    void subscriptionEndedByBroker(MqttSubscription subscription, String reason) {
        execute(() -> {
            if (subscriptions.get(subscription.filter) == subscription) {
                log.info("MQTT client {}: subscription {} ended by the broker: {}", clientId, subscription.filter,
                        reason);
                subscriptions.remove(subscription.filter);
            }
        });
    }

    private void deliver(MqttSubscription subscription, Delivery delivery) {
        if (ended || subscriptions.get(subscription.filter) != subscription) {
            // The consumer is closed or closing: the message goes back to its queue with it.
            return;
        }
        outbox.deliver(subscription, delivery);
    }

    // ---- subscriptions ----

    private void subscribe(MqttSubscribeMessage message) {
        int packetId = message.variableHeader().messageId();
        int subscriptionId = 0;
        if (level == LEVEL_5) {
            MqttProperty<?> id = message.idAndPropertiesVariableHeader().properties()
                    .getProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER);
            if (id != null) {
                subscriptionId = (Integer) id.value();
                if (subscriptionId == 0) {
                    protocolError("subscription identifier 0 [MQTT-3.8.2-?]");
                    return;
                }
            }
        }
        List<MqttTopicSubscription> requested = message.payload().topicSubscriptions();
        if (requested.isEmpty()) {
            protocolError("SUBSCRIBE without topic filters [MQTT-3.8.3-3]");
            return;
        }
        int[] codes = new int[requested.size()];
        StringBuilder invalidFilters = new StringBuilder();
        Map<MqttSubscription, List<Message>> retained = new LinkedHashMap<>();
        boolean changed = false;
        for (int i = 0; i < requested.size(); i++) {
            MqttTopicSubscription request = requested.get(i);
            String filter = request.topicFilter();
            var option = request.option();
            MqttTopics.Shared shared = MqttTopics.shared(filter);
            boolean valid = shared != null ? shared.isValid() : MqttTopics.isValidFilter(filter);
            if (!valid) {
                codes[i] = level == LEVEL_5 ? 0x8F : 0x80;
                invalidFilters.append(invalidFilters.length() > 0 ? ", " : "").append(filter);
                continue;
            }
            if (shared != null && option.isNoLocal()) {
                protocolError("no-local on shared subscription " + filter + " [MQTT-3.8.3-4]");
                return;
            }
            SubscriptionOptions options = new SubscriptionOptions(option.qos().value(),
                    level == LEVEL_5 && option.isNoLocal(), level == LEVEL_5 && option.isRetainAsPublished(),
                    level == LEVEL_5 ? option.retainHandling().value() : 0, subscriptionId);
            boolean existed = subscriptions.containsKey(filter);
            SubscriptionOptions before = session.subscriptions.get(filter);
            unbind(filter, before, options);
            if (!bind(filter, options)) {
                session.subscriptions.remove(filter);
                codes[i] = level == LEVEL_5 && lastBindNotAuthorized ? 0x87 : 0x80;
                changed = true;
                continue;
            }
            session.subscriptions.put(filter, options);
            changed = true;
            codes[i] = options.qos();
            int rh = options.retainHandling();
            if (shared == null && (rh == 0 || (rh == 1 && !existed))) {
                try {
                    List<Message> found = connection.retainedMessages(MqttTopics.toCore(filter));
                    if (!found.isEmpty()) {
                        retained.put(subscriptions.get(filter), found);
                    }
                } catch (BrokerException e) {
                    log.debug("MQTT client {}: retained messages of {} not read: {}", clientId, filter, e.getMessage());
                }
            }
        }
        Runnable answer = () -> {
            if (ended) {
                return;
            }
            MqttProperties props = MqttProperties.NO_PROPERTIES;
            if (level == LEVEL_5 && problemInformation && invalidFilters.length() > 0) {
                props = new MqttProperties();
                props.add(new StringProperty(MqttProperties.REASON_STRING, "invalid topic filter: " + invalidFilters));
            }
            ctx.write(new MqttSubAckMessage(new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE,
                    false, 0), new MqttMessageIdAndPropertiesVariableHeader(packetId, props),
                    new MqttSubAckPayload(codes)));
            retained.forEach((subscription, messages) -> {
                if (subscriptions.get(subscription.filter) == subscription) {
                    outbox.deliverRetained(subscription, messages);
                }
            });
            ctx.flush();
        };
        if (changed && session.persistent()) {
            // Acknowledged once stored, so that a subscription the client was told of survives a crash.
            sessions.save(session).whenComplete((ok, failure) -> execute(answer));
        } else {
            answer.run();
        }
    }

    /** Whether the last refused {@link #bind} was refused by an ACL (SUBACK 0x87 in MQTT 5). */
    private boolean lastBindNotAuthorized;

    /**
     * Subscribes to the broker for a filter of the session; false if the broker refuses (the
     * reason is logged).
     */
    private boolean bind(String filter, SubscriptionOptions options) {
        lastBindNotAuthorized = false;
        MqttTopics.Shared shared = MqttTopics.shared(filter);
        boolean durable = MqttSubscription.isDurable(filter, options, session);
        Destination topic = MqttTopics.toCore(shared != null ? shared.filter() : filter);
        MqttSubscription subscription = new MqttSubscription(filter, options, this);
        // QoS 0 deliveries leave the broker as soon as they are written, so more may be on the way.
        int prefetch = options.qos() == 0 ? Math.max(outbox.window(), QOS0_PREFETCH) : outbox.window();
        SubscriptionSpec spec = new SubscriptionSpec(topic, null, prefetch, false,
                durable ? filter : null, options.noLocal(), shared != null ? shared.group() : null,
                config.maxQueuedMessages(), durable);
        try {
            subscription.bind(connection.subscribe(spec, subscription));
        } catch (BrokerException e) {
            lastBindNotAuthorized = e instanceof NotAuthorizedException;
            log.info("MQTT client {}: subscription to {} refused: {}", clientId, filter, e.getMessage());
            return false;
        }
        subscriptions.put(filter, subscription);
        return true;
    }

    /**
     * Ends the broker subscription of a filter being replaced or removed; a durable one is removed
     * with its messages unless the replacement is durable too (it then carries on).
     */
    private void unbind(String filter, SubscriptionOptions before, SubscriptionOptions after) {
        MqttSubscription current = subscriptions.remove(filter);
        if (current != null && current.consumer() != null) {
            current.consumer().close();
        }
        if (before != null && MqttSubscription.isDurable(filter, before, session)
                && (after == null || !MqttSubscription.isDurable(filter, after, session))) {
            try {
                connection.unsubscribeDurable(filter);
            } catch (BrokerException e) {
                log.debug("MQTT client {}: durable subscription {} not removed: {}", clientId, filter, e.getMessage());
            }
        }
    }

    private void unsubscribe(MqttUnsubscribeMessage message) {
        int packetId = message.variableHeader().messageId();
        List<String> filters = message.payload().topics();
        if (filters.isEmpty()) {
            protocolError("UNSUBSCRIBE without topic filters [MQTT-3.10.3-2]");
            return;
        }
        short[] codes = new short[filters.size()];
        boolean changed = false;
        for (int i = 0; i < filters.size(); i++) {
            String filter = filters.get(i);
            SubscriptionOptions before = session.subscriptions.remove(filter);
            if (before == null && !subscriptions.containsKey(filter)) {
                codes[i] = 0x11;
                continue;
            }
            unbind(filter, before, null);
            changed = true;
        }
        Runnable answer = () -> {
            if (ended) {
                return;
            }
            MqttFixedHeader fixed = new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0);
            ctx.writeAndFlush(level == LEVEL_5
                    ? new MqttUnsubAckMessage(fixed, new MqttMessageIdAndPropertiesVariableHeader(packetId,
                    MqttProperties.NO_PROPERTIES), new MqttUnsubAckPayload(codes))
                    : new MqttUnsubAckMessage(fixed, MqttMessageIdVariableHeader.from(packetId)));
        };
        if (changed && session.persistent()) {
            sessions.save(session).whenComplete((ok, failure) -> execute(answer));
        } else {
            answer.run();
        }
    }

    // ---- errors and replies ----

    void protocolError(String what) {
        disconnect((byte) 0x82, "protocol error: " + what);
    }

    /**
     * Closes the connection for a reason; MQTT 5 clients get a DISCONNECT with the reason code
     * first. Logged as one line.
     */
    void disconnect(byte reasonCode, String reason) {
        if (ended || closing || !ctx.channel().isActive()) {
            return;
        }
        closing = true;
        log.info("MQTT client {} ({}) disconnected: {}", clientId, remote(), reason);
        if (connected && level == LEVEL_5) {
            ctx.writeAndFlush(MqttPackets.disconnect(reasonCode, problemString(reason)))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    private void refuseProtocolError(String reason) {
        log.info("MQTT connection from {} refused: {}", remote(), reason);
        refuse(null, MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR);
    }

    /** CONNACK with a refusal, then close [MQTT-3.2.2-5]; the code for the client's level. */
    private void refuse(MqttConnectReturnCode v3Code, MqttConnectReturnCode v5Code) {
        MqttConnectReturnCode code = level == LEVEL_5 ? v5Code : v3Code;
        if (code == null) {
            ctx.close();
            return;
        }
        MqttConnAckMessage connAck = MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build();
        ctx.writeAndFlush(connAck).addListener(ChannelFutureListener.CLOSE);
    }

    /** The reason string to send, or null when the client asked for no problem information. */
    private String problemString(String reason) {
        return problemInformation ? reason : null;
    }

    /** Runs the task on this connection's event loop; false if the loop no longer takes tasks. */
    boolean execute(Runnable task) {
        Channel channel = ctx.channel();
        if (channel.eventLoop().inEventLoop()) {
            task.run();
            return true;
        }
        try {
            channel.eventLoop().execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Packets the decoder handed over, for {@link MqttFraming}'s check that it keeps up. */
    boolean ended() {
        return ended;
    }

    long packetsRead() {
        return packetsRead;
    }

    private Object remote() {
        return ctx.channel().remoteAddress();
    }
}
