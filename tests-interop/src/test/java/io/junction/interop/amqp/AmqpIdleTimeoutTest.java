package io.junction.interop.amqp;

import io.junction.interop.support.EmbeddedBroker;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker's idle timeout: it announces it, keeps a quiet peer alive, and closes a silent one. */
@Timeout(30)
class AmqpIdleTimeoutTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker("""
            protocols:
              amqp:
                idleTimeout: 1s
            """);

    @Test
    void aPeerThatStaysSilentIsClosedAndTheBrokerAnnouncedItsTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", broker.amqpPort())) {
            socket.setSoTimeout(200);
            Transport transport = Transport.Factory.create();
            Sasl sasl = transport.sasl();
            sasl.client();
            sasl.setMechanisms("ANONYMOUS");
            Connection connection = Connection.Factory.create();
            connection.setContainer("silent-peer");
            transport.bind(connection);
            connection.open();
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[4096];
            long deadline = System.currentTimeMillis() + 5000;
            // Handshake until the broker's open arrives; after that the peer never writes again.
            while (connection.getRemoteState() != EndpointState.ACTIVE && System.currentTimeMillis() < deadline) {
                while (transport.pending() > 0) {
                    ByteBuffer head = transport.head();
                    byte[] bytes = new byte[head.remaining()];
                    head.get(bytes);
                    out.write(bytes);
                    transport.pop(bytes.length);
                }
                try {
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    ByteBuffer tail = transport.getInputBuffer();
                    tail.put(buffer, 0, n);
                    transport.processInput();
                } catch (SocketTimeoutException quiet) {
                    // Nothing yet.
                }
            }
            assertThat(connection.getRemoteState()).isEqualTo(EndpointState.ACTIVE);
            // proton announces half its timeout, so that the peer's heart-beats come in time.
            assertThat(transport.getRemoteIdleTimeout()).isBetween(1, 1000);

            long silentSince = System.currentTimeMillis();
            socket.setSoTimeout(5000);
            int read;
            do {
                // Whatever the broker still sends (its own empty frames) is read; the peer says nothing.
                read = in.read(buffer);
            } while (read >= 0 && System.currentTimeMillis() - silentSince < 5000);
            long closedAfter = System.currentTimeMillis() - silentSince;
            assertThat(read).as("the broker closed the connection").isEqualTo(-1);
            assertThat(closedAfter).isBetween(900L, 4000L);
        }
    }
}
