package io.junction.interop.stompy;

import io.junction.interop.support.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * One event reported by {@code stomp_driver.py}: a frame stomp.py received ({@code connected},
 * {@code message}, {@code receipt}, {@code error}), a connection event ({@code disconnected},
 * {@code heartbeat}, {@code heartbeat_timeout}) or the outcome of a command ({@code ok},
 * {@code failed}).
 */
record StompEvent(String type, Map<String, Object> fields) {

    static StompEvent parse(String line) {
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) Json.parse(line);
        return new StompEvent(String.valueOf(fields.get("event")), fields);
    }

    boolean is(String eventType) {
        return type.equals(eventType);
    }

    /** A top-level field as text, or null. */
    String field(String name) {
        Object value = fields.get(name);
        return value == null ? null : value.toString();
    }

    @SuppressWarnings("unchecked")
    Map<String, String> headers() {
        Object headers = fields.get("headers");
        return headers == null ? Map.of() : (Map<String, String>) headers;
    }

    String header(String name) {
        return headers().get(name);
    }

    byte[] bodyBytes() {
        String encoded = field("body_b64");
        return encoded == null ? new byte[0] : Base64.getDecoder().decode(encoded);
    }

    String body() {
        return new String(bodyBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return fields.containsKey("body_b64") ? type + headers() + " body=" + body() : Json.write(fields);
    }
}
