package io.junction.amqp;

import io.junction.core.spi.ProtocolSettings;

/** The {@code protocols.amqp} settings, read once per connection. */
record AmqpConfig(int maxFrameSize, long idleTimeoutMillis, boolean allowAnonymous, long connectTimeoutMillis,
                  int credit) {

    static AmqpConfig of(ProtocolSettings s) {
        return new AmqpConfig((int) Math.min(s.get(AmqpSettings.MAX_FRAME_SIZE), Integer.MAX_VALUE),
                s.get(AmqpSettings.IDLE_TIMEOUT).toMillis(), s.get(AmqpSettings.ALLOW_ANONYMOUS),
                s.get(AmqpSettings.CONNECT_TIMEOUT).toMillis(), s.get(AmqpSettings.CREDIT));
    }
}
