package io.junction.core.transport;

import io.junction.core.util.NamedThreadFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.util.concurrent.TimeUnit;

/** The Netty event loops every listener shares: native epoll where available, NIO elsewhere. */
public final class EventLoops implements AutoCloseable {

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Class<? extends ServerChannel> serverChannel;

    public EventLoops(int workerThreads) {
        if (Epoll.isAvailable()) {
            boss = new MultiThreadIoEventLoopGroup(1, new NamedThreadFactory("junction-accept"), EpollIoHandler.newFactory());
            workers = new MultiThreadIoEventLoopGroup(workerThreads, new NamedThreadFactory("junction-io"),
                    EpollIoHandler.newFactory());
            serverChannel = EpollServerSocketChannel.class;
        } else {
            boss = new MultiThreadIoEventLoopGroup(1, new NamedThreadFactory("junction-accept"), NioIoHandler.newFactory());
            workers = new MultiThreadIoEventLoopGroup(workerThreads, new NamedThreadFactory("junction-io"),
                    NioIoHandler.newFactory());
            serverChannel = NioServerSocketChannel.class;
        }
    }

    EventLoopGroup boss() {
        return boss;
    }

    EventLoopGroup workers() {
        return workers;
    }

    Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    @Override
    public void close() {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
