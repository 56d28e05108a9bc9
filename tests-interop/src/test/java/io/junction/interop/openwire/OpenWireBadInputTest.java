package io.junction.interop.openwire;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.apache.activemq.command.ExceptionResponse;
import org.apache.activemq.command.MessageId;
import org.apache.activemq.command.ProducerId;
import org.apache.activemq.command.WireFormatInfo;
import org.apache.activemq.openwire.OpenWireFormat;
import org.apache.activemq.openwire.OpenWireFormatFactory;
import org.apache.activemq.util.ByteSequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input on raw sockets: each case is refused (an ExceptionResponse, or the connection closed
 * with a logged reason) and the broker goes on serving a well-behaved client.
 */
@Timeout(60)
class OpenWireBadInputTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker().withListenerSettings("maxMessageSize: 64KB");

    /** A raw OpenWire conversation: size-prefixed commands, after the wire format exchange. */
    private final class RawClient implements AutoCloseable {
        final Socket socket = new Socket("127.0.0.1", broker.openWirePort());
        final OpenWireFormat format = (OpenWireFormat) new OpenWireFormatFactory().createWireFormat();
        final DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        final DataInputStream in = new DataInputStream(socket.getInputStream());

        RawClient() throws IOException {
            socket.setSoTimeout(10_000);
            Object brokers = read();
            assertThat(brokers).isInstanceOf(WireFormatInfo.class);
            write(format.getPreferedWireFormatInfo());
            format.renegotiateWireFormat((WireFormatInfo) brokers);
        }

        void write(Object command) throws IOException {
            ByteSequence bytes = format.marshal(command);
            out.write(bytes.getData(), bytes.getOffset(), bytes.getLength());
            out.flush();
        }

        Object read() throws IOException {
            return format.unmarshal(in);
        }

        /** Reads until the broker closes the connection; fails if it does not. */
        void awaitClose() throws IOException {
            InputStream raw = socket.getInputStream();
            try {
                while (raw.read() != -1) {
                    // What the broker sent before closing (BrokerInfo, a response) does not matter.
                }
            } catch (SocketException reset) {
                // Closed too.
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private void aWellBehavedClientIsStillServed() throws Exception {
        try (Connection connection = new ActiveMQConnectionFactory(broker.openWireUri()).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue("ow.after")).send(session.createTextMessage("fine"));
            assertThat(((TextMessage) session.createConsumer(session.createQueue("ow.after")).receive(5000)).getText())
                    .isEqualTo("fine");
        }
    }

    @Test
    void anUnknownCommandTypeClosesTheConnection() throws Exception {
        try (RawClient client = new RawClient()) {
            client.out.writeInt(5);
            client.out.write(new byte[] {(byte) 0xEE, 1, 2, 3, 4});
            client.out.flush();
            client.awaitClose();
        }
        aWellBehavedClientIsStillServed();
    }

    @Test
    void aCommandLargerThanMaxMessageSizeClosesTheConnection() throws Exception {
        try (RawClient client = new RawClient()) {
            client.out.writeInt(1024 * 1024);
            client.out.write(new byte[70 * 1024]);
            client.out.flush();
            client.awaitClose();
        }
        aWellBehavedClientIsStillServed();
    }

    @Test
    void aMessageBeforeConnectionInfoIsRefused() throws Exception {
        try (RawClient client = new RawClient()) {
            ActiveMQTextMessage message = new ActiveMQTextMessage();
            message.setText("too early");
            message.setDestination(new ActiveMQQueue("ow.early"));
            message.setMessageId(new MessageId(new ProducerId("ID:raw:1:1:1"), 1));
            message.setCommandId(7);
            message.setResponseRequired(true);
            client.write(message);
            Object answer = client.read();
            while (!(answer instanceof ExceptionResponse)) {
                answer = client.read();
            }
            assertThat(((ExceptionResponse) answer).getCorrelationId()).isEqualTo(7);
            assertThat(((ExceptionResponse) answer).getException().getMessage()).contains("before ConnectionInfo");
            client.awaitClose();
        } catch (EOFException closedBeforeTheAnswerWasRead) {
            throw new AssertionError("the broker closed without an ExceptionResponse", closedBeforeTheAnswerWasRead);
        }
        aWellBehavedClientIsStillServed();
    }

    @Test
    void aTruncatedCommandClosesTheConnection() throws Exception {
        try (RawClient client = new RawClient()) {
            ActiveMQTextMessage message = new ActiveMQTextMessage();
            message.setText("cut short");
            message.setDestination(new ActiveMQQueue("ow.cut"));
            message.setMessageId(new MessageId(new ProducerId("ID:raw:1:1:1"), 1));
            ByteSequence bytes = client.format.marshal(message);
            // The size prefix says the command is 20 bytes long; what follows is its start only.
            client.out.writeInt(20);
            client.out.write(bytes.getData(), bytes.getOffset() + 4, 20);
            client.out.flush();
            client.awaitClose();
        }
        aWellBehavedClientIsStillServed();
    }

    @Test
    void aSilentClientIsClosedByTheInactivityMonitor() throws Exception {
        // The client asks for 500 ms and then says nothing more: no keep-alive, no command. The
        // socket's read timeout fails the test if the broker never closes.
        try (Socket socket = new Socket("127.0.0.1", broker.openWirePort())) {
            socket.setSoTimeout(10_000);
            OpenWireFormat format = (OpenWireFormat) new OpenWireFormatFactory().createWireFormat();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            assertThat(format.unmarshal(in)).isInstanceOf(WireFormatInfo.class);
            WireFormatInfo info = format.getPreferedWireFormatInfo();
            info.setMaxInactivityDuration(500);
            info.setMaxInactivityDurationInitalDelay(100);
            ByteSequence bytes = format.marshal(info);
            out.write(bytes.getData(), bytes.getOffset(), bytes.getLength());
            out.flush();
            InputStream raw = socket.getInputStream();
            try {
                while (raw.read() != -1) {
                    // BrokerInfo and keep-alives, until the broker gives up on the silent client.
                }
            } catch (SocketException reset) {
                // Closed.
            }
        }
        aWellBehavedClientIsStillServed();
    }
}
