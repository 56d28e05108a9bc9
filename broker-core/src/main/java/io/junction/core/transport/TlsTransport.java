package io.junction.core.transport;

import io.junction.core.config.TlsConfig;
import io.netty.channel.Channel;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;

/**
 * The TLS of a {@code tls} or {@code wss} listener: one server {@link SslContext} (TLS 1.2 and 1.3, the
 * suites of {@link TlsConfig#CIPHER_SUITES}, on the JDK's TLS or on netty-tcnative's BoringSSL as the
 * listener's {@code provider} says) from which each accepted connection gets an
 * {@link io.netty.handler.ssl.SslHandler} first in its pipeline. The protocol is installed behind
 * it once the handshake succeeds (see {@link TlsHandshakeHandler}), so it reads decrypted bytes
 * and needs to know nothing about TLS.
 */
final class TlsTransport {

    /** The name of the {@link io.netty.handler.ssl.SslHandler} in a connection's pipeline. */
    static final String HANDLER_NAME = "tls";

    private final SslContext context;

    private TlsTransport(SslContext context) {
        this.context = context;
    }

    /**
     * Builds the server context from stores the config loader has already checked.
     *
     * @throws IllegalStateException naming the listener when the provider refuses the stores anyway
     */
    static TlsTransport of(String listener, TlsConfig config) {
        try {
            char[] keyPassword = config.keyStorePassword().toCharArray();
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(config.keyStore(), keyPassword), keyPassword);
            SslContextBuilder builder = SslContextBuilder.forServer(keys)
                    .sslProvider(switch (config.provider()) {
                        case JDK -> SslProvider.JDK;
                        case OPENSSL -> SslProvider.OPENSSL;
                    })
                    .protocols(TlsConfig.PROTOCOLS)
                    // Neither provider lacks one of these suites; the identity filter keeps the list as
                    // written, so both offer the same ones. (BoringSSL always enables its three TLS 1.3
                    // suites, which are the three listed.)
                    .ciphers(Arrays.asList(TlsConfig.CIPHER_SUITES), IdentityCipherSuiteFilter.INSTANCE)
                    .clientAuth(switch (config.clientAuth()) {
                        case NONE -> io.netty.handler.ssl.ClientAuth.NONE;
                        case OPTIONAL -> io.netty.handler.ssl.ClientAuth.OPTIONAL;
                        case REQUIRED -> io.netty.handler.ssl.ClientAuth.REQUIRE;
                    });
            if (config.trustStore().isPresent()) {
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(config.trustStore().get(), config.trustStorePassword().toCharArray()));
                builder.trustManager(trust);
            }
            return new TlsTransport(builder.build());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("listener '" + listener + "' cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Adds the {@code SslHandler} and the handshake gate; {@code install} runs after a good handshake. */
    void prepare(Channel channel, String listener, Runnable install) {
        channel.pipeline().addLast("tls-record-check", new TlsRecordCheck(listener));
        channel.pipeline().addLast(HANDLER_NAME, context.newHandler(channel.alloc()));
        channel.pipeline().addLast("tls-handshake", new TlsHandshakeHandler(listener, install));
    }

    private static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        }
    }
}
