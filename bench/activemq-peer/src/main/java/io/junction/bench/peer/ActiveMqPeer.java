package io.junction.bench.peer;

import org.apache.activemq.ActiveMQConnectionMetaData;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.SslContext;
import org.apache.activemq.broker.TransportConnector;
import org.apache.activemq.broker.region.policy.ConstantPendingMessageLimitStrategy;
import org.apache.activemq.broker.region.policy.PolicyEntry;
import org.apache.activemq.broker.region.policy.PolicyMap;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.activemq.usage.SystemUsage;

import java.io.File;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;

/**
 * ActiveMQ Classic 6.3.1 embedded, as a peer broker of the benchmark. The binary distribution is
 * not in the Maven registry, so its broker jars run here with what the distribution's default
 * {@code conf/activemq.xml} sets, written in Java:
 * <ul>
 * <li>broker name {@code localhost}, JMX on without a remote connector ({@code createConnector="false"});</li>
 * <li>KahaDB with its defaults in {@code <data directory>/kahadb};</li>
 * <li>system usage: memory 70 % of the JVM heap, store 100 GB, temp 50 GB;</li>
 * <li>one policy entry, for every topic ({@code topic=">"}), with a constant pending message limit
 *     of 1000 per slow consumer (messages past it are dropped for that consumer); queues keep the
 *     broker's default policy;</li>
 * <li>the openwire, amqp, stomp and mqtt connectors with the distribution's options
 *     ({@code maximumConnections=1000&wireFormat.maxFrameSize=104857600}), but on 127.0.0.1 and the
 *     given ports instead of 0.0.0.0 and 61616 / 5672 / 61613 / 1883.</li>
 * </ul>
 * Left out: the ws connector, the web console (Jetty) and the credentials file. Security is off, as in
 * the distribution (it configures no authentication plugin).
 *
 * <p>With {@code --tls-keystore=<PKCS12 file> --tls-password=<password> --mqtt-tls=<port>
 * --stomp-tls=<port>} the broker also has {@code mqtt+ssl} and {@code stomp+ssl} connectors (the same
 * options as the others) whose key and certificate come from that key store, set as the broker's
 * SSL context; no client certificate is asked for. No wss connector: it needs activemq-http (and
 * Jetty), which the Maven registry does not serve for 6.3.1.
 *
 * <p>Arguments: data directory, OpenWire port, AMQP port, STOMP port, MQTT port, optionally the TLS
 * options above and {@code --until-stdin-closes}. Prints one line {@code READY version=... memoryLimit=...} once every
 * connector accepts. Stops on SIGTERM (the broker's own shutdown hook stops it cleanly) and, with the
 * option, also when its standard input closes, so that a parent process that dies takes it along.
 */
public final class ActiveMqPeer {

    /** The distribution's options of every transport connector: connection and frame size limits. */
    private static final String CONNECTOR_OPTIONS = "?maximumConnections=1000&wireFormat.maxFrameSize=104857600";

    private static final long GB = 1024L * 1024 * 1024;

    private static final List<String> TLS_OPTIONS = List.of("tls-keystore", "tls-password", "mqtt-tls", "stomp-tls");

    private ActiveMqPeer() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = List.of(args);
        boolean untilStdinCloses = arguments.contains("--until-stdin-closes");
        List<String> positional = arguments.stream().filter(a -> !a.startsWith("--")).toList();
        Map<String, String> options = arguments.stream().filter(a -> a.startsWith("--") && a.contains("="))
                .collect(Collectors.toMap(a -> a.substring(2, a.indexOf('=')), a -> a.substring(a.indexOf('=') + 1)));
        boolean tls = options.containsKey("tls-keystore");
        if (positional.size() != 5 || (tls && !options.keySet().containsAll(TLS_OPTIONS))
                || !TLS_OPTIONS.containsAll(options.keySet())) {
            throw new IllegalArgumentException("usage: ActiveMqPeer <data directory> <openwire port> <amqp port> "
                    + "<stomp port> <mqtt port> [--tls-keystore=<PKCS12 file> --tls-password=<password> "
                    + "--mqtt-tls=<port> --stomp-tls=<port>] [--until-stdin-closes]");
        }
        Path data = Path.of(positional.get(0)).toAbsolutePath();

        BrokerService broker = new BrokerService();
        broker.setBrokerName("localhost");
        broker.setDataDirectoryFile(data.toFile());
        broker.setPersistent(true);
        broker.getManagementContext().setCreateConnector(false);

        KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
        kahaDb.setDirectory(new File(data.toFile(), "kahadb"));
        broker.setPersistenceAdapter(kahaDb);

        SystemUsage usage = broker.getSystemUsage();
        usage.getMemoryUsage().setPercentOfJvmHeap(70);
        usage.getStoreUsage().setLimit(100 * GB);
        usage.getTempUsage().setLimit(50 * GB);

        PolicyEntry topics = new PolicyEntry();
        topics.setTopic(">");
        ConstantPendingMessageLimitStrategy pendingLimit = new ConstantPendingMessageLimitStrategy();
        pendingLimit.setLimit(1000);
        topics.setPendingMessageLimitStrategy(pendingLimit);
        PolicyMap policies = new PolicyMap();
        policies.setPolicyEntries(List.of(topics));
        broker.setDestinationPolicy(policies);

        addConnector(broker, "openwire", "tcp", positional.get(1));
        addConnector(broker, "amqp", "amqp", positional.get(2));
        addConnector(broker, "stomp", "stomp", positional.get(3));
        addConnector(broker, "mqtt", "mqtt", positional.get(4));
        if (tls) {
            broker.setSslContext(serverSsl(Path.of(options.get("tls-keystore")), options.get("tls-password")));
            addConnector(broker, "mqtt+ssl", "mqtt+ssl", options.get("mqtt-tls"));
            addConnector(broker, "stomp+ssl", "stomp+ssl", options.get("stomp-tls"));
        }

        broker.start();
        if (!broker.waitUntilStarted()) {
            throw new IllegalStateException("the broker did not start; see its log above");
        }
        System.out.println("READY version=" + ActiveMQConnectionMetaData.PROVIDER_VERSION
                + " memoryLimit=" + usage.getMemoryUsage().getLimit()
                + " maxHeap=" + Runtime.getRuntime().maxMemory());
        System.out.flush();

        if (untilStdinCloses) {
            while (System.in.read() >= 0) {
                // Wait for the parent to close our standard input.
            }
            broker.stop();
            broker.waitUntilStopped();
        } else {
            broker.waitUntilStopped(); // until SIGTERM runs the broker's shutdown hook
        }
    }

    /** The key and certificate of the ssl connectors: the key store's one key entry. */
    private static SslContext serverSsl(Path keyStore, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, password.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password.toCharArray());
        return new SslContext(keys.getKeyManagers(), null, null);
    }

    private static void addConnector(BrokerService broker, String name, String scheme, String port) throws Exception {
        TransportConnector connector = new TransportConnector();
        connector.setName(name);
        connector.setUri(new URI(scheme + "://127.0.0.1:" + Integer.parseInt(port) + CONNECTOR_OPTIONS));
        broker.addConnector(connector);
    }
}
