package io.junction.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.core.TestKeyStores;
import io.junction.core.config.ClientAuth;
import io.junction.core.config.ListenerConfig;
import io.junction.core.config.TlsConfig;
import io.junction.core.config.TlsProvider;
import io.junction.core.config.Transport;
import io.junction.core.model.Message;
import io.junction.core.spi.ProtocolContext;
import io.junction.core.spi.ProtocolModule;
import io.junction.core.spi.Setting;
import io.junction.core.spi.TlsPeer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS listener with a stand-in protocol that answers each line with what {@link TlsPeer} says:
 * the protocol runs on decrypted bytes, sees the client's verified certificate, and a failed
 * handshake closes only that connection; each with both TLS providers.
 */
class TlsListenerTest {

    private static final String PASSWORD = "secret-2";

    @TempDir
    static Path stores;

    private EventLoops loops;
    private Listener listener;

    @BeforeAll
    static void createStores() {
        TestKeyStores.keyPair(stores.resolve("broker.p12"), "broker", "CN=localhost", PASSWORD);
        TestKeyStores.keyPair(stores.resolve("client.p12"), "client", "CN=client-7,O=Tests", PASSWORD);
        TestKeyStores.trustStore(stores.resolve("client.p12"), "client", PASSWORD, stores.resolve("trust.p12"));
        TestKeyStores.trustStore(stores.resolve("broker.p12"), "broker", PASSWORD, stores.resolve("client-trust.p12"));
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.stopAccepting();
            listener.closeConnections();
        }
        if (loops != null) {
            loops.close();
        }
    }

    private int start(TlsProvider provider, ClientAuth clientAuth) {
        TlsConfig config = new TlsConfig(stores.resolve("broker.p12"), PASSWORD, Optional.of(stores.resolve("trust.p12")),
                PASSWORD, clientAuth, provider);
        Map<ProtocolModule, ProtocolContext> protocols = new HashMap<>();
        protocols.put(new PeerEcho(), null);
        loops = new EventLoops(1);
        listener = new Listener(new ListenerConfig("echo-tls", List.of("echo"), Transport.TLS, "127.0.0.1", 0, true,
                ListenerConfig.DEFAULT_WEBSOCKET_MAX_FRAME_SIZE, Optional.of(config)), protocols);
        listener.bind(loops);
        return listener.boundPort();
    }

    private static SSLContext client(boolean withCertificate) throws Exception {
        KeyManagerFactory keys = null;
        if (withCertificate) {
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(stores.resolve("client.p12")), PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(stores.resolve("client-trust.p12")));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            return store;
        }
    }

    private static String ask(SSLSocket socket) throws IOException {
        socket.setSoTimeout(5000);
        socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }

    private static SSLSocket open(SSLContext context, int port) throws IOException {
        return (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void protocolSeesDecryptedBytesAndTheVerifiedClientCertificate(TlsProvider provider) throws Exception {
        int port = start(provider, ClientAuth.OPTIONAL);
        try (SSLSocket socket = open(client(true), port)) {
            assertThat(ask(socket)).isEqualTo("tls=true subject=CN=client-7, O=Tests chain=1 line=hello");
        }
        try (SSLSocket socket = open(client(false), port)) {
            assertThat(ask(socket)).isEqualTo("tls=true subject=none chain=0 line=hello");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void tls12WithAnEcdheAeadSuiteIsAccepted(TlsProvider provider) throws Exception {
        int port = start(provider, ClientAuth.NONE);
        try (SSLSocket socket = open(client(false), port)) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});
            assertThat(ask(socket)).startsWith("tls=true");
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void weakSuitesAreRefusedAndTheListenerKeepsServing(TlsProvider provider) throws Exception {
        int port = start(provider, ClientAuth.NONE);
        try (SSLSocket socket = open(client(false), port)) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"});
            assertThatThrownBy(() -> ask(socket)).isInstanceOf(IOException.class);
        }
        try (SSLSocket socket = open(client(false), port)) {
            assertThat(ask(socket)).startsWith("tls=true");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void requiredCertificateRefusesAClientWithoutOne(TlsProvider provider) throws Exception {
        int port = start(provider, ClientAuth.REQUIRED);
        try (SSLSocket socket = open(client(false), port)) {
            // With TLS 1.3 the client may only learn of the refusal when it reads.
            assertThatThrownBy(() -> {
                String answer = ask(socket);
                if (answer == null) {
                    throw new IOException("closed");
                }
            }).isInstanceOf(IOException.class);
        }
        try (SSLSocket socket = open(client(true), port)) {
            assertThat(ask(socket)).startsWith("tls=true subject=CN=client-7");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void plainTcpClientIsClosed(TlsProvider provider) throws Exception {
        int port = start(provider, ClientAuth.NONE);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("CONNECT\naccept-version:1.2\n\n\0".getBytes(StandardCharsets.US_ASCII));
            byte[] rest = socket.getInputStream().readAllBytes();
            // At most a TLS alert record (content type 21), never a protocol answer.
            assertThat(rest.length == 0 || rest[0] == 21).as("answer %s", new String(rest, StandardCharsets.ISO_8859_1))
                    .isTrue();
        }
        try (SSLSocket socket = open(client(false), port)) {
            assertThat(ask(socket)).startsWith("tls=true");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void flushesAreConsolidatedBehindTlsAndInFrontOfTheProtocol(TlsProvider provider) throws Exception {
        int port = start(provider, ClientAuth.OPTIONAL);
        try (SSLSocket socket = open(client(false), port)) {
            assertThat(ask(socket)).startsWith("tls=true");
        }
        // Consolidated there, a burst of the protocol's frames is encrypted into one TLS record.
        List<String> names = PeerEcho.installedBehind;
        assertThat(names).contains(TlsTransport.HANDLER_NAME, "flush-consolidation");
        assertThat(names.indexOf("flush-consolidation")).isGreaterThan(names.indexOf(TlsTransport.HANDLER_NAME));
    }

    /** A stand-in protocol: for each read, one line about the connection's TLS peer. */
    private static final class PeerEcho implements ProtocolModule {

        /** The pipeline's handler names when the protocol was installed last. */
        static volatile List<String> installedBehind = List.of();

        @Override
        public String name() {
            return "echo";
        }

        @Override
        public List<Setting<?>> settings() {
            return List.of();
        }

        @Override
        public Detection detect(ByteBuf prefix) {
            return Detection.MATCH;
        }

        @Override
        public void recovered(Message message) {
        }

        @Override
        public void install(ChannelPipeline pipeline, ProtocolContext context) {
            installedBehind = List.copyOf(pipeline.names());
            pipeline.addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    String line = ((ByteBuf) msg).toString(StandardCharsets.US_ASCII).trim();
                    ReferenceCountUtil.release(msg);
                    String answer = "tls=" + TlsPeer.isTls(ctx.channel())
                            + " subject=" + TlsPeer.subject(ctx.channel()).map(Object::toString).orElse("none")
                            + " chain=" + TlsPeer.certificates(ctx.channel()).size() + " line=" + line + "\n";
                    ctx.writeAndFlush(Unpooled.copiedBuffer(answer, StandardCharsets.US_ASCII));
                }
            });
        }
    }
}
