package io.junction.mqtt;

import io.junction.core.model.Message;

/**
 * A will message [MQTT-3.1.2-8]: published when the connection ends without a DISCONNECT (or with
 * MQTT 5 reason 0x04), after the will-delay-interval when the session outlives the connection.
 */
record Will(Message message, boolean retain, long delaySeconds) {
}
