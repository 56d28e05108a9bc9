package io.junction.core.transport;

import io.junction.core.spi.ProtocolContext;
import io.junction.core.spi.ProtocolModule;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One configured listener: a TCP port serving one or more protocols. With one protocol the
 * protocol's handlers are installed at once; with several, the first bytes decide. On a TLS
 * listener both happen behind the {@code SslHandler}, once the handshake has succeeded.
 */
public final class Listener {

    private static final Logger log = LoggerFactory.getLogger(Listener.class);

    private final String name;
    private final String host;
    private final int port;
    private final Map<ProtocolModule, ProtocolContext> protocols;
    /** Null for plain TCP. */
    private final TlsTransport tls;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private Channel serverChannel;

    public Listener(String name, String host, int port, Map<ProtocolModule, ProtocolContext> protocols) {
        this(name, host, port, protocols, null);
    }

    /** @param tls the TLS transport every connection goes through, or null for plain TCP */
    public Listener(String name, String host, int port, Map<ProtocolModule, ProtocolContext> protocols,
                    TlsTransport tls) {
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("listener " + name + " serves no protocol");
        }
        this.name = name;
        this.host = host;
        this.port = port;
        this.protocols = new LinkedHashMap<>(protocols);
        this.tls = tls;
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
                        connections.add(channel);
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
                protocols.keySet().stream().map(ProtocolModule::name).toList(), tls == null ? "tcp" : "tls", host,
                boundPort());
    }

    private void installProtocol(Channel channel) {
        if (protocols.size() == 1) {
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
