package io.junction.core.transport;

import io.junction.core.spi.Credentials;
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
 * protocol's handlers are installed at once; with several, the first bytes decide.
 */
public final class Listener {

    private static final Logger log = LoggerFactory.getLogger(Listener.class);

    private final String name;
    private final String host;
    private final int port;
    private final Map<ProtocolModule, ProtocolContext> protocols;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private Channel serverChannel;

    public Listener(String name, String host, int port, Map<ProtocolModule, ProtocolContext> protocols) {
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("listener " + name + " serves no protocol");
        }
        this.name = name;
        this.host = host;
        this.port = port;
        this.protocols = new LinkedHashMap<>(protocols);
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
                        channel.attr(Credentials.LISTENER).set(name);
                        if (protocols.size() == 1) {
                            Map.Entry<ProtocolModule, ProtocolContext> only = protocols.entrySet().iterator().next();
                            only.getKey().install(channel.pipeline(), only.getValue());
                        } else {
                            channel.pipeline().addLast("protocol-detector", new ProtocolDetector(protocols));
                        }
                    }
                });
        try {
            serverChannel = bootstrap.bind(host, port).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new IllegalStateException("listener '" + name + "' cannot bind " + host + ":" + port + ": " + e.getMessage(), e);
        }
        log.info("Listener {} serving {} on tcp://{}:{}", name,
                protocols.keySet().stream().map(ProtocolModule::name).toList(), host, boundPort());
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
