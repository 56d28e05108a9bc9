package io.junction.bench.mqtt;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLParameters;

/**
 * The load generator's MQTT 3.1.1 client, one per connection, on Netty. CONNECT, SUBSCRIBE,
 * PINGREQ and DISCONNECT go through netty-codec-mqtt's encoder; the hot path (PUBLISH and PUBACK
 * out, every packet in) is encoded and parsed in place, without a message object per packet, so
 * that the client costs little CPU next to the broker on a 2-core machine.
 *
 * <p>The same client speaks MQTT over plain TCP, TLS (Netty's {@link SslHandler} on the JDK's
 * TLS), WebSocket (Netty's {@link WebSocketClientProtocolHandler}, subprotocol {@code mqtt}, each
 * write one binary frame) or WebSocket over TLS, as the broker entry's transport says.
 *
 * <p>Everything a connection does runs on its channel's event loop; the counters are read by
 * the benchmark's main thread.
 */
final class MqttLoadClient {

    /** The event loops all benchmark connections share; their threads are named bench-mqtt-*. */
    static final class Loops implements AutoCloseable {
        final EventLoopGroup group;
        final Class<? extends SocketChannel> channelClass;
        /** The client side of TLS (trusting the broker's certificate), or null: no TLS listener to reach. */
        final SslContext tls;
        /** The same without the host-name check, for engines made without the host (full handshakes). */
        final SslContext tlsWithoutHostCheck;

        Loops(int threads, SslContext tls, SslContext tlsWithoutHostCheck) {
            this.tls = tls;
            this.tlsWithoutHostCheck = tlsWithoutHostCheck;
            boolean epoll = Epoll.isAvailable();
            DefaultThreadFactory factory = new DefaultThreadFactory("bench-mqtt", true);
            group = new MultiThreadIoEventLoopGroup(threads, factory,
                    epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
            channelClass = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        }

        @Override
        public void close() {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Called on the event loop for each PUBLISH received: the first 8 payload bytes are the sender's nanoTime. */
    interface Receiver {
        void received(long sentNanos, long nowNanos);
    }

    private static final int PACKET_ID_LIMIT = 65535;

    private final String clientId;
    private final int keepAliveSeconds;
    private final boolean webSocket;
    final AtomicLong received = new AtomicLong();
    final AtomicLong receivedQos0 = new AtomicLong();
    final AtomicLong published = new AtomicLong();
    final AtomicLong acknowledged = new AtomicLong();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile CompletableFuture<Void> subscribed;
    private volatile Receiver receiver;
    private Channel channel;

    // Publisher state, confined to the event loop.
    private volatile boolean publishing;
    private byte[] topicBytes;
    private int payloadSize;
    private MqttQoS publishQos;
    private int window;
    private int inflight;
    private int nextPacketId = 1;

    private MqttLoadClient(String clientId, int keepAliveSeconds, boolean webSocket) {
        this.clientId = clientId;
        this.keepAliveSeconds = keepAliveSeconds;
        this.webSocket = webSocket;
    }

    /** Opens the connection; {@link #connected()} completes on a successful CONNACK. */
    static MqttLoadClient open(Loops loops, BrokerUnderTest broker, String clientId, int keepAliveSeconds) {
        return open(loops, broker, clientId, keepAliveSeconds, false);
    }

    /**
     * The same; with {@code fullHandshake}, a TLS connection never resumes an earlier session: its
     * engine is made without the broker's host and port, which is what the JDK's client looks up
     * cached sessions (and TLS 1.3 tickets) by. Without the host there is no hostname check either;
     * the broker's certificate chain is still verified.
     */
    static MqttLoadClient open(Loops loops, BrokerUnderTest broker, String clientId, int keepAliveSeconds,
                               boolean fullHandshake) {
        BrokerUnderTest.Transport transport = broker.transport();
        MqttLoadClient client = new MqttLoadClient(clientId, keepAliveSeconds, transport.webSocket());
        client.connected.orTimeout(60, TimeUnit.SECONDS);
        Bootstrap bootstrap = new Bootstrap()
                .group(loops.group)
                .channel(loops.channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 128 * 1024))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline pipeline = ch.pipeline();
                        if (transport.tls()) {
                            SslHandler ssl;
                            if (fullHandshake) {
                                ssl = loops.tlsWithoutHostCheck.newHandler(ch.alloc());
                            } else {
                                ssl = loops.tls.newHandler(ch.alloc(), broker.host(), broker.port());
                                SSLParameters parameters = ssl.engine().getSSLParameters();
                                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate's SAN
                                ssl.engine().setSSLParameters(parameters);
                            }
                            pipeline.addLast(ssl);
                        }
                        if (transport.webSocket()) {
                            URI uri = URI.create((transport.tls() ? "wss://" : "ws://") + broker.host() + ":"
                                    + broker.port() + "/mqtt");
                            pipeline.addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                                    new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(
                                            uri, WebSocketVersion.V13, "mqtt", false, EmptyHttpHeaders.INSTANCE,
                                            1024 * 1024)),
                                    new BinaryFrames());
                        }
                        pipeline.addLast(MqttEncoder.INSTANCE, client.new Handler());
                    }
                });
        ChannelFuture future = bootstrap.connect(broker.host(), broker.port());
        client.channel = future.channel();
        future.addListener(f -> {
            if (!f.isSuccess()) {
                client.connected.completeExceptionally(f.cause());
                client.closed.complete(null);
            }
        });
        return client;
    }

    CompletableFuture<Void> connected() {
        return connected;
    }

    /** The negotiated TLS version and cipher suite, or null on a connection without TLS. */
    String tlsSession() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        return ssl == null ? null : ssl.engine().getSession().getProtocol() + ", "
                + ssl.engine().getSession().getCipherSuite();
    }

    CompletableFuture<Void> closed() {
        return closed;
    }

    /** Subscribes to one filter; the future completes on SUBACK (failure if the broker refused). */
    CompletableFuture<Void> subscribe(String filter, MqttQoS qos, Receiver receiver) {
        this.receiver = receiver;
        CompletableFuture<Void> done = new CompletableFuture<>();
        subscribed = done;
        channel.writeAndFlush(MqttMessageBuilders.subscribe().messageId(1).addSubscription(qos, filter).build());
        return done;
    }

    /**
     * Publishes fixed-size messages to a topic as fast as the connection takes them until
     * {@link #stopPublishing()}: QoS 0 as long as the channel is writable (TCP back-pressure),
     * QoS 1 with at most {@code window} PUBLISHes awaiting their PUBACK. Each payload starts with
     * the send time ({@link System#nanoTime()}).
     */
    void startPublishing(String topic, MqttQoS qos, int payloadSize, int window) {
        if (payloadSize < 8) {
            throw new IllegalArgumentException("payload must hold an 8-byte timestamp");
        }
        channel.eventLoop().execute(() -> {
            this.topicBytes = topic.getBytes(StandardCharsets.UTF_8);
            this.publishQos = qos;
            this.payloadSize = payloadSize;
            this.window = window;
            this.publishing = true;
            pump();
        });
    }

    void stopPublishing() {
        publishing = false;
    }

    /** PUBLISHes sent with QoS 1 that have no PUBACK yet (read from another thread: approximate). */
    int inflight() {
        return inflight;
    }

    /** Sends DISCONNECT and closes; the returned future completes when the channel is closed. */
    CompletableFuture<Void> disconnect() {
        if (channel.isActive()) {
            channel.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false,
                    MqttQoS.AT_MOST_ONCE, false, 0))).addListener(f -> channel.close());
        } else {
            channel.close();
        }
        return closed;
    }

    private void pump() {
        if (!publishing || !channel.isActive()) {
            return;
        }
        boolean qos1 = publishQos == MqttQoS.AT_LEAST_ONCE;
        int batch = 0;
        while (batch < 64 && channel.isWritable() && (!qos1 || inflight < window)) {
            channel.write(encodePublish(channel.alloc()), channel.voidPromise());
            batch++;
            if (qos1) {
                inflight++;
            }
        }
        if (batch > 0) {
            published.addAndGet(batch);
            channel.flush();
        }
        // More may go at once: give the event loop's other channels a turn, then carry on. Otherwise a
        // writability change or a PUBACK calls pump() again.
        if (channel.isWritable() && (!qos1 || inflight < window)) {
            channel.eventLoop().execute(this::pump);
        }
    }

    private ByteBuf encodePublish(ByteBufAllocator alloc) {
        boolean qos1 = publishQos == MqttQoS.AT_LEAST_ONCE;
        int remaining = 2 + topicBytes.length + (qos1 ? 2 : 0) + payloadSize;
        ByteBuf out = alloc.directBuffer(1 + varIntSize(remaining) + remaining);
        out.writeByte(qos1 ? 0x32 : 0x30);
        writeVarInt(out, remaining);
        out.writeShort(topicBytes.length);
        out.writeBytes(topicBytes);
        if (qos1) {
            out.writeShort(nextPacketId);
            nextPacketId = nextPacketId == PACKET_ID_LIMIT ? 1 : nextPacketId + 1;
        }
        out.writeLong(System.nanoTime());
        out.writeZero(payloadSize - 8);
        return out;
    }

    private static int varIntSize(int value) {
        return value < 128 ? 1 : value < 16384 ? 2 : value < 2097152 ? 3 : 4;
    }

    private static void writeVarInt(ByteBuf out, int value) {
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            out.writeByte(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }

    /** WebSocket only: each buffer written goes out as one binary frame; data frames come in as their payload. */
    private static final class BinaryFrames extends MessageToMessageCodec<WebSocketFrame, ByteBuf> {

        @Override
        protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
            out.add(new BinaryWebSocketFrame(msg.retain()));
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) throws IOException {
            if (!(frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame)) {
                throw new IOException("unexpected WebSocket frame " + frame.getClass().getSimpleName());
            }
            out.add(frame.content().retain());
        }
    }

    /** Parses inbound packets in the cumulation buffer; emits nothing down the pipeline. */
    private final class Handler extends ByteToMessageDecoder {

        private boolean pendingFlush;
        private boolean pendingPump;
        private ScheduledFuture<?> pinger;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            if (!webSocket) {
                sendConnect(ctx); // over TLS, the SslHandler holds it until the handshake is done
            }
            super.channelActive(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                sendConnect(ctx);
            }
            super.userEventTriggered(ctx, event);
        }

        private void sendConnect(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(MqttMessageBuilders.connect()
                    .protocolVersion(MqttVersion.MQTT_3_1_1)
                    .clientId(clientId)
                    .cleanSession(true)
                    .keepAlive(keepAliveSeconds)
                    .build());
            if (keepAliveSeconds > 0) {
                // Half the keep-alive, so that the broker (1.5 x keep-alive) never sees an idle client.
                long period = keepAliveSeconds * 500L;
                pinger = ctx.executor().scheduleAtFixedRate(() -> {
                    if (ctx.channel().isActive()) {
                        ctx.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false,
                                MqttQoS.AT_MOST_ONCE, false, 0)));
                    }
                }, period, period, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws IOException {
            while (in.readableBytes() >= 2) {
                int start = in.readerIndex();
                int first = in.getUnsignedByte(start);
                int remaining = 0;
                int multiplier = 1;
                int index = start + 1;
                while (true) {
                    if (index >= in.writerIndex()) {
                        return; // length incomplete
                    }
                    int digit = in.getUnsignedByte(index++);
                    remaining += (digit & 0x7F) * multiplier;
                    if ((digit & 0x80) == 0) {
                        break;
                    }
                    multiplier *= 128;
                    if (multiplier > 128 * 128 * 128) {
                        throw new IOException("malformed remaining length from the broker");
                    }
                }
                if (in.writerIndex() - index < remaining) {
                    return; // packet incomplete
                }
                packet(ctx, first, in, index, remaining);
                in.readerIndex(index + remaining);
            }
        }

        private void packet(ChannelHandlerContext ctx, int first, ByteBuf in, int body, int length)
                throws IOException {
            switch (first >> 4) {
                case 3 -> { // PUBLISH
                    int qos = (first >> 1) & 3;
                    int topicLength = in.getUnsignedShort(body);
                    int payload = body + 2 + topicLength + (qos > 0 ? 2 : 0);
                    long now = System.nanoTime();
                    long sent = body + length - payload >= 8 ? in.getLong(payload) : now;
                    received.lazySet(received.get() + 1);
                    Receiver r = receiver;
                    if (r != null) {
                        r.received(sent, now);
                    }
                    if (qos == 0) {
                        receivedQos0.lazySet(receivedQos0.get() + 1);
                    } else if (qos == 1) {
                        ByteBuf ack = ctx.alloc().directBuffer(4);
                        ack.writeByte(0x40).writeByte(2).writeShort(in.getUnsignedShort(body + 2 + topicLength));
                        ctx.write(ack, ctx.voidPromise());
                        pendingFlush = true;
                    } else if (qos == 2) {
                        throw new IOException("QoS 2 is not used by this benchmark");
                    }
                }
                case 4 -> { // PUBACK: the window opens; pump() runs once the read is done
                    inflight--;
                    acknowledged.lazySet(acknowledged.get() + 1);
                    pendingPump = true;
                }
                case 2 -> { // CONNACK
                    int code = in.getUnsignedByte(body + 1);
                    if (code == 0) {
                        connected.complete(null);
                    } else {
                        connected.completeExceptionally(new IOException("CONNACK return code " + code));
                        ctx.close();
                    }
                }
                case 9 -> { // SUBACK
                    int code = in.getUnsignedByte(body + 2);
                    CompletableFuture<Void> s = subscribed;
                    if (s != null) {
                        if (code == 0x80) {
                            s.completeExceptionally(new IOException("SUBACK refused the subscription"));
                        } else {
                            s.complete(null);
                        }
                    }
                }
                case 13 -> { // PINGRESP
                }
                default -> throw new IOException("unexpected packet type " + (first >> 4) + " from the broker");
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
            super.channelReadComplete(ctx);
            if (pendingPump) {
                pendingPump = false;
                pump();
            }
            if (pendingFlush) {
                pendingFlush = false;
                ctx.flush();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
            if (ctx.channel().isWritable()) {
                pump();
            }
            super.channelWritabilityChanged(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (pinger != null) {
                pinger.cancel(false);
            }
            connected.completeExceptionally(new IOException("connection closed before CONNACK"));
            CompletableFuture<Void> s = subscribed;
            if (s != null) {
                s.completeExceptionally(new IOException("connection closed before SUBACK"));
            }
            closed.complete(null);
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            connected.completeExceptionally(cause);
            ctx.close();
        }
    }
}
