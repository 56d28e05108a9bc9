package io.junction.bench.loadgen;

import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import io.junction.bench.BrokerProcess;
import io.junction.bench.Progress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code connections} MQTT connections that do nothing but keep alive: how fast the broker takes
 * them (at most {@link MqttClients#OUTSTANDING} CONNECTs awaiting their CONNACK), and what they
 * cost it: RSS per connection, and for a JVM broker live heap per connection (jcmd's class
 * histogram, after a full GC). The connections stay open {@code hold} from the last CONNACK, then
 * close. Connections that failed or that the broker dropped while idle mark the run {@code lost}.
 * A warm-up (the generator's {@code --warmup-seconds}) first opens and closes {@code warmup}
 * connections, after the broker's memory is read, so that the measured connects do not wait on the
 * generator's JIT compiler, and whatever the broker keeps from them counts against the measured ones.
 */
final class IdleConnections implements Scenario {

    /** Time for the broker to finish what the connects started (buffers, sessions) before its memory is read. */
    private static final Duration SETTLE = Duration.ofSeconds(1);

    private final int connections;
    private final int warmup;
    private final Duration hold;

    IdleConnections(int connections, int warmup, Duration hold) {
        this.connections = connections;
        this.warmup = warmup;
        this.hold = hold;
    }

    @Override
    public ResultLine run(Target target, Progress progress) throws Exception {
        BrokerProcess broker = target.process();
        BrokerProcess.Histogram heapBefore = broker == null ? null : broker.liveHeap();
        Long rssBefore = Window.rssKb(broker);
        Queue<Mqtt3AsyncClient> open = new ConcurrentLinkedQueue<>();
        ClientIds ids = ClientIds.fresh();
        try {
            if (warmup > 0) {
                Queue<Mqtt3AsyncClient> warm = new ConcurrentLinkedQueue<>();
                Connects warming = connect(target, ClientIds.fresh(), warmup, warm);
                MqttClients.disconnectAll(new ArrayList<>(warm));
                progress.log("%s: warm-up: %,d connections opened and closed, %,d failed", target.name(), warm.size(),
                        warming.failed().get());
            }
            progress.log("%s: opening %,d connections", target.name(), connections);
            Window measured = Window.open(broker);
            long start = System.nanoTime();
            Connects connects = connect(target, ids, connections, open);
            measured.close();
            AtomicInteger failed = connects.failed();
            AtomicLong lastConnAck = connects.lastConnAck();
            int connected = open.size();
            double seconds = (Math.max(lastConnAck.get(), start + 1) - start) / 1e9;
            progress.log("%s: %,d connected in %.2f s, %,d failed%s", target.name(), connected, seconds,
                    failed.get(), connects.firstFailure().get() == null ? "" : " (the first: " + connects.firstFailure().get() + ")");

            Thread.sleep(SETTLE.toMillis());
            Long rssAfter = Window.rssKb(broker);
            BrokerProcess.Histogram heapAfter = broker == null ? null : broker.liveHeap();
            long holdUntil = Math.max(lastConnAck.get(), start) + hold.toNanos();
            Thread.sleep(Math.max(0, (holdUntil - System.nanoTime()) / 1_000_000));
            long dropped = open.stream().filter(c -> !c.getState().isConnected()).count();
            int closeFailed = MqttClients.disconnectAll(new ArrayList<>(open));
            open.clear();
            progress.log("%s: %,d dropped by the broker while idle, %,d closed", target.name(), dropped,
                    connected - dropped - closeFailed);

            return new ResultLine()
                    .put("scenario", "mqtt-idle-connections")
                    .put("broker", target.name())
                    .put("sent", null)
                    .put("delivered", null)
                    .put("expected", null)
                    .put("seconds", seconds)
                    .put("msgsPerSec", null)
                    .put("p50Ms", null)
                    .put("p99Ms", null)
                    .put("p999Ms", null)
                    .put("brokerRssKb", rssAfter)
                    .put("brokerCpuSec", measured.brokerCpuSeconds())
                    .put("generatorCpuSec", measured.generatorCpuSeconds())
                    .put("lost", failed.get() > 0 || dropped > 0)
                    .put("connections", connections)
                    .put("connected", connected)
                    .put("failed", failed.get())
                    .put("droppedWhileIdle", dropped)
                    .put("closeFailed", closeFailed)
                    .put("connectsPerSec", connected / seconds)
                    .put("rssBeforeKb", rssBefore)
                    .put("rssPerConnKb", perConnection(rssBefore, rssAfter, connected))
                    .put("heapBeforeKb", heapBefore == null ? null : heapBefore.totalBytes() / 1024)
                    .put("heapAfterKb", heapAfter == null ? null : heapAfter.totalBytes() / 1024)
                    .put("heapPerConnKb", heapBefore == null || heapAfter == null ? null
                            : perConnection(heapBefore.totalBytes() / 1024, heapAfter.totalBytes() / 1024, connected))
                    .put("holdSeconds", hold.toSeconds());
        } finally {
            MqttClients.disconnectAll(new ArrayList<>(open));
        }
    }

    /** How a round of connects went. */
    private record Connects(AtomicInteger failed, AtomicReference<Throwable> firstFailure, AtomicLong lastConnAck) {
    }

    /** Opens {@code count} connections, at most {@link MqttClients#OUTSTANDING} at a time, into {@code open}. */
    private static Connects connect(Target target, ClientIds ids, int count, Queue<Mqtt3AsyncClient> open)
            throws InterruptedException {
        Connects connects = new Connects(new AtomicInteger(), new AtomicReference<>(), new AtomicLong());
        Semaphore slots = new Semaphore(MqttClients.OUTSTANDING);
        for (int i = 0; i < count; i++) {
            slots.acquire();
            MqttClients.connect(target, ids.of("i", i)).whenComplete((client, error) -> {
                if (error == null) {
                    open.add(client);
                    connects.lastConnAck().accumulateAndGet(System.nanoTime(), Math::max);
                } else {
                    connects.failed().incrementAndGet();
                    connects.firstFailure().compareAndSet(null, error);
                }
                slots.release();
            });
        }
        slots.acquire(MqttClients.OUTSTANDING);
        return connects;
    }

    private static Double perConnection(Long before, Long after, int connected) {
        return before == null || after == null || connected == 0 ? null : (double) (after - before) / connected;
    }
}
