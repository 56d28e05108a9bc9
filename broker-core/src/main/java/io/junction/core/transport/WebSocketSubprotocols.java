package io.junction.core.transport;

import io.junction.core.spi.ProtocolModule;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The WebSocket subprotocol names ({@code Sec-WebSocket-Protocol}) that select each protocol module
 * on a {@code ws} or {@code wss} listener. They are the names the usual clients send: MQTT's
 * {@code mqtt} (3.1.1 and 5, the name the MQTT specifications register) and {@code mqttv3.1} (older
 * clients), STOMP's {@code v12.stomp}, {@code v11.stomp} and {@code v10.stomp}, and AMQP 1.0's
 * {@code amqp} (OASIS AMQP WebSocket binding). Only module names are known here, never a protocol
 * library: a module without an entry (OpenWire) can still be served over WebSocket, chosen by its
 * first bytes when the client asks for no subprotocol.
 */
final class WebSocketSubprotocols {

    private static final Map<String, List<String>> BY_MODULE = Map.of(
            "mqtt", List.of("mqtt", "mqttv3.1"),
            "stomp", List.of("v12.stomp", "v11.stomp", "v10.stomp"),
            "amqp", List.of("amqp"));

    private WebSocketSubprotocols() {
    }

    /** Each subprotocol a listener serving {@code modules} accepts, and the module it selects. */
    static Map<String, ProtocolModule> served(Iterable<ProtocolModule> modules) {
        Map<String, ProtocolModule> served = new LinkedHashMap<>();
        for (ProtocolModule module : modules) {
            for (String subprotocol : BY_MODULE.getOrDefault(module.name(), List.of())) {
                served.put(subprotocol, module);
            }
        }
        return served;
    }
}
