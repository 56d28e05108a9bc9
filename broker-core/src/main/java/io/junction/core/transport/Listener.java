package io.junction.core.transport;

import io.junction.core.config.ListenerConfig;
import io.junction.core.config.Transport;
import io.junction.core.spi.Credentials;
import io.junction.core.spi.ListenerLimits;
import io.junction.core.spi.ProtocolContext;
import io.junction.core.spi.ProtocolModule;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One configured listener: a port serving one or more protocols over a transport. On a {@code tls}
 * or {@code wss} listener ({@link TlsTransport}) everything below happens behind the
 * {@code SslHandler}, once the handshake has succeeded. On {@code tcp} or {@code tls}, with one
 * protocol the protocol's handlers are installed at once; with several, the first bytes decide. On
 * {@code ws} or {@code wss}, {@link WebSocketTransport} prepares the channel (HTTP upgrade, then
 * WebSocket frames) and the subprotocol decides.
 */
public final class Listener {

    private static final Logger log = LoggerFactory.getLogger(Listener.class);

    private final String name;
    private final String host;
    private final int port;
    private final Transport transport;
    private final int webSocketMaxFrameSize;
    private final ListenerLimits limits;
    private final ListenerConnectionLimit connectionLimit;
    private final Map<ProtocolModule, ProtocolContext> protocols;
    /** Null unless the transport is tls or wss. */
    private final TlsTransport tls;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private Channel serverChannel;

    /**
     * The listener {@code config} describes, serving {@code protocols} (the modules it names).
     *
     * @throws IllegalStateException naming the listener when its TLS stores cannot be used
     */
    public Listener(ListenerConfig config, Map<ProtocolModule, ProtocolContext> protocols) {
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("listener " + config.name() + " serves no protocol");
        }
        this.name = config.name();
        this.host = config.host();
        this.port = config.port();
        this.transport = config.transport();
        this.webSocketMaxFrameSize = config.webSocketMaxFrameSize();
        this.limits = config.limits();
        this.connectionLimit = new ListenerConnectionLimit(config.name(), limits.maxConnections());
        this.protocols = new LinkedHashMap<>(protocols);
        this.tls = config.tls().map(settings -> TlsTransport.of(config.name(), settings)).orElse(null);
    }

    public String name() {
        return name;
    }

    /** Binds the port; throws with the listener's name and address when it cannot. */
    public void bind(EventLoops loops) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.boss(), loops.workers())
                .channel(loops.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        // Before any byte is read (or a TLS handshake begins): a refused socket costs nothing more.
                        if (!connectionLimit.tryOpen(channel.remoteAddress())) {
                            channel.close();
                            return;
                        }
                        channel.closeFuture().addListener(closed -> connectionLimit.closed());
                        connections.add(channel);
                        channel.attr(Credentials.LISTENER).set(name);
                        channel.attr(ListenerLimits.KEY).set(limits);
                        if (tls == null) {
                            installProtocol(channel);
                        } else {
                            tls.prepare(channel, name, () -> installProtocol(channel));
                        }
                    }
                });
        try {
            serverChannel = bootstrap.bind(host, port).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new IllegalStateException("listener '" + name + "' cannot bind " + host + ":" + port + ": " + e.getMessage(), e);
        }
        log.info("Listener {} serving {} on {}://{}:{}", name,
                protocols.keySet().stream().map(ProtocolModule::name).toList(), transport.yamlName(), host, boundPort());
    }

    /** What the transport installs once the channel is ready: at once, or after a good TLS handshake. */
    private void installProtocol(Channel channel) {
        // Protocols write deliveries, receipts and acknowledgements one by one, often each from a
        // task of its own; a flush made while reading waits for the end of the read, and one made
        // outside a read waits for the tasks already queued, so a burst leaves in one socket write
        // (and, behind TLS, in one record) instead of one per frame, for the client as for us.
        channel.pipeline().addLast("flush-consolidation", new FlushConsolidationHandler(
                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        if (transport.isWebSocket()) {
            WebSocketTransport.prepare(channel.pipeline(), protocols, webSocketMaxFrameSize);
        } else if (protocols.size() == 1) {
            Map.Entry<ProtocolModule, ProtocolContext> only = protocols.entrySet().iterator().next();
            only.getKey().install(channel.pipeline(), only.getValue());
        } else {
            channel.pipeline().addLast("protocol-detector", new ProtocolDetector(protocols));
        }
    }

    /** The port actually bound (differs from the configured one when that was 0). */
    public int boundPort() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Connections refused since start because {@code maxConnections} were open. */
    public long refusedConnections() {
        return connectionLimit.refused();
    }

    /** Stops accepting new connections. */
    public void stopAccepting() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
    }

    /** Closes every connection this listener accepted. */
    public void closeConnections() {
        connections.close().awaitUninterruptibly();
    }
}
