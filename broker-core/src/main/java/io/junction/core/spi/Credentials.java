package io.junction.core.spi;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import javax.security.auth.x500.X500Principal;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a client presented when it connected, for {@link ProtocolContext#authenticate}: a user name
 * and password, and the subject of the client certificate TLS verified. The password is kept as
 * characters so that it can be {@link #clear() cleared} once the broker has decided (the broker
 * does that itself when the stage {@code authenticate} returned completes); it never appears in
 * {@link #toString()}.
 *
 * @param username            the user name the client gave, or null for none
 * @param password            the password, or null for none
 * @param certificate         the subject of the client's verified TLS certificate, or null when it
 *                            sent none (or the connection has no TLS)
 * @param certificateRequired the client asks to be the user its certificate maps to and nothing
 *                            else (AMQP SASL EXTERNAL): no password, no anonymous fallback
 * @param remoteAddress       where the client connects from
 * @param listener            the name of the listener the connection came through
 */
public record Credentials(String username, char[] password, X500Principal certificate, boolean certificateRequired,
                          SocketAddress remoteAddress, String listener) {

    /** The name of the listener a channel was accepted by; set by the transport on every channel. */
    public static final AttributeKey<String> LISTENER = AttributeKey.valueOf("junction.listener");

    /** A user name and password without a certificate. */
    public Credentials(String username, char[] password, SocketAddress remoteAddress, String listener) {
        this(username, password, null, false, remoteAddress, listener);
    }

    /**
     * Credentials received on a channel: its remote address, listener and verified client
     * certificate are taken from it. Only a null user name is no user name; an empty one is a user
     * name that no user has.
     */
    public static Credentials of(Channel channel, String username, char[] password) {
        return new Credentials(username, password, TlsPeer.subject(channel).orElse(null), false,
                channel.remoteAddress(), channel.attr(LISTENER).get());
    }

    /** The same, for a password received as bytes (MQTT, SASL PLAIN), read as UTF-8. */
    public static Credentials of(Channel channel, String username, byte[] password) {
        return of(channel, username, password == null ? null : utf8(password));
    }

    /** The same, for a password received as text (STOMP, OpenWire). */
    public static Credentials of(Channel channel, String username, String password) {
        return of(channel, username, password == null ? null : password.toCharArray());
    }

    /**
     * A login by the channel's client certificate alone (AMQP SASL EXTERNAL), refused when the
     * client sent no certificate or its subject maps to no user.
     *
     * @param username the user the client asks to act as (SASL's authorization identity), or null
     */
    public static Credentials ofCertificate(Channel channel, String username) {
        return new Credentials(username, null, TlsPeer.subject(channel).orElse(null), true,
                channel.remoteAddress(), channel.attr(LISTENER).get());
    }

    /** Overwrites the password in memory. */
    public void clear() {
        if (password != null) {
            Arrays.fill(password, '\0');
        }
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", certificate=" + certificate + ", remoteAddress="
                + remoteAddress + ", listener=" + listener + "]";
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    private static char[] utf8(byte[] bytes) {
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
        char[] copy = Arrays.copyOfRange(chars.array(), chars.position(), chars.limit());
        Arrays.fill(chars.array(), '\0');
        return copy;
    }
}
