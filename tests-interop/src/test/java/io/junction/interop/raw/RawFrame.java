package io.junction.interop.raw;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A frame as it came off the wire: header names and values are kept exactly as sent (escape
 * sequences are not decoded), so tests can check the broker's encoding byte for byte.
 */
public record RawFrame(String command, List<Map.Entry<String, String>> headers, byte[] body) {

    /** The first value of the header (STOMP: a repeated header's first occurrence wins), or null. */
    public String header(String name) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equals(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return command + " " + headers + " body=" + bodyText();
    }
}
