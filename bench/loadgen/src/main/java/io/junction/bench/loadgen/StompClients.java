package io.junction.bench.loadgen;

import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.simp.stomp.ReactorNettyTcpStompClient;
import org.springframework.messaging.simp.stomp.StompClientSupport;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompReactorNettyCodec;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandler;
import org.springframework.messaging.tcp.reactor.ReactorNettyTcpClient;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpSslContextSpec;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Spring's STOMP client for one target, over its {@link Transport}: {@link ReactorNettyTcpStompClient}
 * (Reactor Netty's TcpClient, with TLS from the trust store for {@code tls}) or
 * {@link WebSocketStompClient} over {@link StandardWebSocketClient} (Tomcat's jakarta.websocket
 * client, with an SSLContext from the trust store for {@code wss}). Both make the same
 * {@code DefaultStompSession}; bodies pass as byte[] unconverted ({@link ByteArrayMessageConverter}).
 */
final class StompClients implements AutoCloseable {

    /** How long a SEND may wait for its RECEIPT before the library reports the receipt lost. */
    static final long RECEIPT_TIME_LIMIT_MILLIS = 30_000;

    private static final int CONNECT_TIMEOUT_SECONDS = 30;

    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    private final Function<StompSessionHandler, CompletableFuture<StompSession>> connector;
    private final Runnable shutdown;
    private final List<StompSession> sessions = new ArrayList<>();

    StompClients(Target target) {
        // The library tracks each receipt with a task on this scheduler (cancelled when the RECEIPT comes);
        // removing cancelled tasks keeps a long run from piling them up until their 30 s are over.
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setThreadNamePrefix("stomp-receipts-");
        scheduler.setDaemon(true);
        scheduler.initialize();
        StompClientSupport client;
        StompHeaders connectHeaders = new StompHeaders();
        // RabbitMQ takes host as the virtual host and knows only "/"; the other brokers ignore it.
        connectHeaders.setHost("/");
        if (target.transport().webSocket()) {
            StandardWebSocketClient webSocket = new StandardWebSocketClient();
            if (target.transport().secure()) {
                webSocket.setSslContext(target.trustStore().sslContext());
            }
            WebSocketStompClient stomp = new WebSocketStompClient(webSocket);
            URI url = URI.create(target.webSocketUrl());
            client = stomp;
            connector = handler -> stomp.connectAsync(url, new WebSocketHttpHeaders(), connectHeaders, handler);
            shutdown = stomp::stop;
        } else {
            ReactorNettyTcpClient<byte[]> tcp = new ReactorNettyTcpClient<>(
                    netty -> secure(netty.host(target.host()).port(target.port()), target),
                    new StompReactorNettyCodec());
            ReactorNettyTcpStompClient stomp = new ReactorNettyTcpStompClient(tcp);
            client = stomp;
            connector = handler -> stomp.connectAsync(connectHeaders, handler);
            shutdown = stomp::shutdown;
        }
        client.setMessageConverter(new ByteArrayMessageConverter());
        client.setTaskScheduler(scheduler);
        client.setReceiptTimeLimit(RECEIPT_TIME_LIMIT_MILLIS);
        // No heart-beats: a run is bounded and its producer writes all along; and over WebSocket a heart-beat
        // from the scheduler's thread could meet a SEND from the producer's, which Tomcat's blocking
        // endpoint refuses (one write at a time).
        client.setDefaultHeartbeat(new long[] {0, 0});
    }

    /**
     * The TcpClient with TLS for a tls target, as it is otherwise: Reactor Netty's client defaults,
     * the trust store's certificates, and the host name checked against the certificate.
     */
    private static TcpClient secure(TcpClient netty, Target target) {
        if (!target.transport().secure()) {
            return netty;
        }
        TcpSslContextSpec tls = TcpSslContextSpec.forClient().configure(builder -> builder
                .trustManager(target.trustStore().trustManagers())
                .endpointIdentificationAlgorithm("HTTPS"));
        return netty.secure(spec -> spec.sslContext(tls));
    }

    /**
     * A connected session (CONNECTED received), disconnected by {@link #close}; throws when the broker
     * refused or did not answer in 30 s.
     */
    StompSession connect(StompSessionHandler handler) throws Exception {
        StompSession session = connector.apply(handler).get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        sessions.add(session);
        return session;
    }

    /** Sends DISCONNECT on every session still connected, then stops the client's threads. */
    @Override
    public void close() {
        for (StompSession session : sessions) {
            if (session.isConnected()) {
                session.disconnect();
            }
        }
        shutdown.run();
        scheduler.shutdown();
    }
}
