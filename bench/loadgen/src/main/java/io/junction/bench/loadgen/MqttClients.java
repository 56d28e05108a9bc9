package io.junction.bench.loadgen;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The HiveMQ MQTT client (MQTT 3.1.1, the version every peer serves), asynchronous API, over the
 * target's {@link Transport}. Clients built without an executor configuration share the library's
 * one Netty event-loop group (as many threads as this JVM has processors), so thousands of clients
 * cost threads only once.
 */
final class MqttClients {

    /** The most connects (or disconnects) in flight at once, so that a broker sees a steady stream, not a burst. */
    static final int OUTSTANDING = 256;

    private static final int TIMEOUT_SECONDS = 10;

    private MqttClients() {
    }

    /**
     * A clean-session client with keep-alive 60 s over the target's transport, connected; completes
     * exceptionally on refusal or timeout.
     */
    static CompletableFuture<Mqtt3AsyncClient> connect(Target target, String clientId) {
        return connect(target, clientId, null);
    }

    /**
     * @param nettyExecutor where the client's Netty event loop runs: clients given the same executor
     *                      share one event-loop thread of their own; null: the library's shared group
     */
    static CompletableFuture<Mqtt3AsyncClient> connect(Target target, String clientId, Executor nettyExecutor) {
        // TLS and WebSocket go into the transport config: HiveMQ 1.4.2's client builder keeps a transport config
        // built before and ignores an sslConfig() set on the client builder after it.
        MqttClientTransportConfigBuilder transport = MqttClientTransportConfig.builder()
                .serverHost(target.host())
                .serverPort(target.port())
                .socketConnectTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .mqttConnectTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (target.transport().secure()) {
            // The library's defaults otherwise (TLS 1.2 and 1.3, the JDK's cipher suites, host name verification).
            transport = transport.sslConfig().trustManagerFactory(target.trustStore().trustManagers()).applySslConfig();
        }
        if (target.transport().webSocket()) {
            // Subprotocol "mqtt", the library's default, which every broker here serves.
            transport = transport.webSocketConfig().serverPath(target.webSocketPath()).applyWebSocketConfig();
        }
        Mqtt3ClientBuilder builder = MqttClient.builder().useMqttVersion3()
                .identifier(clientId)
                .transportConfig(transport.build());
        if (nettyExecutor != null) {
            builder = builder.executorConfig().nettyExecutor(nettyExecutor).nettyThreads(1).applyExecutorConfig();
        }
        Mqtt3AsyncClient client = builder.buildAsync();
        return client.connectWith().cleanSession(true).keepAlive(60).send().thenApply(connAck -> client);
    }

    /**
     * Disconnects every client that is still connected, at most {@link #OUTSTANDING} at a time, and
     * waits for all; returns how many failed to disconnect cleanly.
     */
    static int disconnectAll(Collection<Mqtt3AsyncClient> clients) throws InterruptedException {
        Semaphore slots = new Semaphore(OUTSTANDING);
        int[] failed = {0};
        for (Mqtt3AsyncClient client : clients) {
            if (!client.getState().isConnected()) {
                continue;
            }
            slots.acquire();
            client.disconnect().orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((v, e) -> {
                if (e != null) {
                    synchronized (failed) {
                        failed[0]++;
                    }
                }
                slots.release();
            });
        }
        slots.acquire(OUTSTANDING);
        synchronized (failed) {
            return failed[0];
        }
    }
}
