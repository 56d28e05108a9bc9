package io.junction.bench.peer;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.io.aio.AIOSequentialFileFactory;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.utils.VersionLoader;

import java.nio.file.Path;

/**
 * ActiveMQ Artemis embedded, as the peer broker of the benchmark: a STOMP acceptor on 127.0.0.1,
 * when a second port is given an AMQP 1.0 acceptor on it (artemis-amqp-protocol), and when a third
 * is given an OpenWire acceptor on that (artemis-openwire-protocol); persistence on, security off. Started by the benchmark in its own JVM; prints one line
 * {@code READY version=<v> journal=<type>} once it accepts connections, then runs until its
 * standard input closes (so it also stops when the benchmark dies).
 *
 * <p>Arguments: data directory, STOMP port, journal buffer timeout in nanoseconds, and optionally
 * the AMQP port and then the OpenWire port. The timeout is
 * what {@code artemis create} would write into broker.xml for this disk: the time one small
 * synchronous write takes, which the benchmark measured just before.
 */
public final class ArtemisPeer {

    private ArtemisPeer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args.length > 5) {
            throw new IllegalArgumentException("usage: ArtemisPeer <data directory> <stomp port> "
                    + "<journal buffer timeout ns> [<amqp port> [<openwire port>]]");
        }
        Path data = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        int bufferTimeoutNanos = Integer.parseInt(args[2]);
        // What 'artemis create' picks: libaio when the machine has it, NIO otherwise.
        JournalType journalType = AIOSequentialFileFactory.isSupported() ? JournalType.ASYNCIO : JournalType.NIO;

        Configuration config = new ConfigurationImpl()
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalType(journalType)
                .setJournalBufferTimeout_NIO(bufferTimeoutNanos)
                .setJournalBufferTimeout_AIO(bufferTimeoutNanos)
                .setJournalDirectory(data.resolve("journal").toString())
                .setBindingsDirectory(data.resolve("bindings").toString())
                .setPagingDirectory(data.resolve("paging").toString())
                .setLargeMessagesDirectory(data.resolve("large-messages").toString())
                .addAcceptorConfiguration("stomp", "tcp://127.0.0.1:" + port
                        + "?protocols=STOMP&anycastPrefix=/queue/&multicastPrefix=/topic/");
        if (args.length >= 4) {
            // As the amqp acceptor of the broker.xml that 'artemis create' writes, on loopback. Qpid JMS
            // says queue or topic with its terminus capabilities, so no address prefixes are needed.
            config.addAcceptorConfiguration("amqp", "tcp://127.0.0.1:" + Integer.parseInt(args[3])
                    + "?protocols=AMQP&tcpSendBufferSize=1048576&tcpReceiveBufferSize=1048576"
                    + "&amqpMinLargeMessageSize=102400&amqpCredits=1000&amqpLowCredits=300"
                    + "&amqpDuplicateDetection=true&useEpoll=true");
        }
        if (args.length == 5) {
            // OpenWire as 'artemis create' configures it on its all-protocols acceptor (1 MB socket
            // buffers, epoll, no advisories), alone on a loopback port of its own.
            config.addAcceptorConfiguration("openwire", "tcp://127.0.0.1:" + Integer.parseInt(args[4])
                    + "?protocols=OPENWIRE&tcpSendBufferSize=1048576&tcpReceiveBufferSize=1048576"
                    + "&supportAdvisory=false&suppressInternalManagementObjects=false&useEpoll=true");
        }

        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
        System.out.println("READY version=" + VersionLoader.getVersion().getFullVersion() + " journal=" + journalType);
        System.out.flush();
        while (System.in.read() >= 0) {
            // Wait for the benchmark to close our standard input.
        }
        broker.stop();
    }
}
