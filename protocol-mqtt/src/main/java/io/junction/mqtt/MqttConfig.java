package io.junction.mqtt;

import io.junction.core.spi.ProtocolSettings;

/** The {@code protocols.mqtt} settings, read once when the module starts. */
record MqttConfig(int maxClientIdLength, long connectTimeoutMillis, int maxKeepAliveSeconds,
                  int receiveMaximum, int maxInflight, int topicAliasMaximum, long maxSessionExpirySeconds,
                  int maxQueuedMessages, int maxQueuedMessagesTotal, boolean retainAvailable, long sysIntervalMillis,
                  int maxConnectsPerSecond, long clientReconnectIntervalMillis) {

    static MqttConfig of(ProtocolSettings s) {
        return new MqttConfig(s.get(MqttSettings.MAX_CLIENT_ID_LENGTH),
                s.get(MqttSettings.CONNECT_TIMEOUT).toMillis(),
                (int) Math.min(s.get(MqttSettings.MAX_KEEP_ALIVE).toSeconds(), 65_535),
                Math.min(s.get(MqttSettings.RECEIVE_MAXIMUM), 65_535), Math.min(s.get(MqttSettings.MAX_INFLIGHT), 65_535),
                Math.min(s.get(MqttSettings.TOPIC_ALIAS_MAXIMUM), 65_535),
                s.get(MqttSettings.MAX_SESSION_EXPIRY).toSeconds(),
                s.get(MqttSettings.MAX_QUEUED_MESSAGES), s.get(MqttSettings.MAX_QUEUED_MESSAGES_TOTAL),
                s.get(MqttSettings.RETAIN_AVAILABLE), s.get(MqttSettings.SYS_INTERVAL).toMillis(),
                s.get(MqttSettings.MAX_CONNECTS_PER_SECOND), s.get(MqttSettings.CLIENT_RECONNECT_INTERVAL).toMillis());
    }

    /** The session expiry granted for the one asked, within {@code maxSessionExpiry}. */
    long grantSessionExpiry(long requestedSeconds) {
        if (maxSessionExpirySeconds > 0) {
            return Math.min(requestedSeconds, maxSessionExpirySeconds);
        }
        return requestedSeconds;
    }
}
