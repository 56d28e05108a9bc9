package io.junction.core.spi;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What TLS proved about the client of a connection: the certificate chain it presented and the
 * listener's trust store verified. It is in the SPI so that both core security and a protocol
 * module (an AMQP SASL EXTERNAL mechanism, say) can read it to map a client certificate's subject
 * to a user; the transport itself only makes the certificate available and acts on nothing in it.
 *
 * <p>Read it from a protocol handler once the connection carries data: on a TLS listener the
 * protocol is installed only after a successful handshake. Works for any transport whose pipeline
 * holds an {@link SslHandler}: tls, and wss (WebSocket over TLS).
 */
public final class TlsPeer {

    private TlsPeer() {
    }

    /**
     * The client's verified certificate chain, the client's own certificate first; empty on a
     * connection without TLS, before the handshake, or when the client sent no certificate (a
     * listener with {@code clientAuth: none} never asks for one).
     */
    public static List<X509Certificate> certificates(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null || !ssl.handshakeFuture().isSuccess()) {
            return List.of();
        }
        SSLSession session = ssl.engine().getSession();
        try {
            Certificate[] chain = session.getPeerCertificates();
            return Arrays.stream(chain).filter(X509Certificate.class::isInstance)
                    .map(X509Certificate.class::cast).toList();
        } catch (SSLPeerUnverifiedException noCertificate) {
            return List.of();
        }
    }

    /** The subject of the client's certificate, such as {@code CN=sensor-17,O=Example}, if it sent one. */
    public static Optional<X500Principal> subject(Channel channel) {
        List<X509Certificate> chain = certificates(channel);
        return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(0).getSubjectX500Principal());
    }

    /** True when the connection is carried over TLS (whatever the client sent as a certificate). */
    public static boolean isTls(Channel channel) {
        return channel.pipeline().get(SslHandler.class) != null;
    }
}
