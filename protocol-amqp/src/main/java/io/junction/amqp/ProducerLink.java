package io.junction.amqp;

import io.junction.core.model.Destination;
import org.apache.qpid.proton.engine.Receiver;

/**
 * A link on which the client sends: its destination, or null for the anonymous relay (each
 * message then names its own in its {@code to} property).
 */
record ProducerLink(Receiver receiver, Destination destination) {
}
