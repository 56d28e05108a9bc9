package io.junction.bench.loadgen;

import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The clients of one scenario run ({@link ClientIds}), all disconnected by {@link #close}.
 * Subscribers read on an event-loop thread of their own, publishers on the library's shared one:
 * on one shared thread, publishers writing as fast as they can kept the subscriber from reading
 * for over half a second at a time (the generator pinned to one core), which a broker rightly
 * takes for a stuck subscriber. In a real deployment a subscriber is its own process.
 */
final class Connections implements AutoCloseable {

    private final Target target;
    final ClientIds ids = ClientIds.fresh();
    final List<Mqtt3AsyncClient> clients = new ArrayList<>();
    private final ExecutorService subscriberThread = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "subscribers-io");
        thread.setDaemon(true);
        return thread;
    });

    Connections(Target target) {
        this.target = target;
    }

    /**
     * Connects {@code count} clients at once, their ids marked with the role's first letter; throws
     * with the first failure if any does not connect.
     */
    List<Mqtt3AsyncClient> connect(String role, int count) throws Exception {
        List<CompletableFuture<Mqtt3AsyncClient>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pending.add(MqttClients.connect(target, ids.of(role.substring(0, 1), i),
                    role.equals("subscriber") ? subscriberThread : null));
        }
        List<Mqtt3AsyncClient> connected = new ArrayList<>();
        Exception failure = null;
        for (CompletableFuture<Mqtt3AsyncClient> future : pending) {
            try {
                connected.add(future.get(30, TimeUnit.SECONDS));
            } catch (Exception e) {
                failure = failure == null ? e : failure;
            }
        }
        clients.addAll(connected);
        if (failure != null) {
            throw new IllegalStateException("a " + role + " client did not connect to " + target.name(), failure);
        }
        return connected;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            MqttClients.disconnectAll(clients);
        } finally {
            subscriberThread.shutdownNow();
        }
    }
}
