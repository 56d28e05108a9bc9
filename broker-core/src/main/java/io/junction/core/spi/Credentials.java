package io.junction.core.spi;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a client presented when it connected, for {@link ProtocolContext#authenticate}. No
 * user name means an anonymous connection. The password is kept as characters so that the
 * caller can {@link #clear()} it once the broker has decided; it never appears in
 * {@link #toString()}.
 *
 * @param username      the user name the client gave, or null for none
 * @param password      the password, or null for none
 * @param remoteAddress where the client connects from
 * @param listener      the name of the listener the connection came through
 */
public record Credentials(String username, char[] password, SocketAddress remoteAddress, String listener) {

    /** The name of the listener a channel was accepted by; set by the transport on every channel. */
    public static final AttributeKey<String> LISTENER = AttributeKey.valueOf("junction.listener");

    /**
     * Credentials received on a channel: its remote address and listener are taken from it. Only a
     * null user name is anonymous; an empty one is a user name that no user has.
     */
    public static Credentials of(Channel channel, String username, char[] password) {
        return new Credentials(username, password, channel.remoteAddress(),
                channel.attr(LISTENER).get());
    }

    /** The same, for a password received as bytes (MQTT, SASL PLAIN), read as UTF-8. */
    public static Credentials of(Channel channel, String username, byte[] password) {
        return of(channel, username, password == null ? null : utf8(password));
    }

    /** The same, for a password received as text (STOMP, OpenWire). */
    public static Credentials of(Channel channel, String username, String password) {
        return of(channel, username, password == null ? null : password.toCharArray());
    }

    public boolean anonymous() {
        return username == null;
    }

    /** Overwrites the password in memory. */
    public void clear() {
        if (password != null) {
            Arrays.fill(password, '\0');
        }
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", remoteAddress=" + remoteAddress + ", listener=" + listener + "]";
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
