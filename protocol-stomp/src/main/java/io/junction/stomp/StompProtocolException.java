package io.junction.stomp;

import java.util.HashMap;
import java.util.Map;

/**
 * A client error that ends the connection: the message goes into the ERROR frame's
 * {@code message} header, the detail (if any) into its body.
 */
final class StompProtocolException extends Exception {

    private final String receiptId;
    private final String detail;
    private final Map<String, String> headers;

    StompProtocolException(String message) {
        this(message, null, null);
    }

    StompProtocolException(String message, String receiptId, String detail) {
        this(message, receiptId, detail, Map.of());
    }

    private StompProtocolException(String message, String receiptId, String detail, Map<String, String> headers) {
        super(message, null, false, false);
        this.receiptId = receiptId;
        this.detail = detail;
        this.headers = headers;
    }

    /** The receipt the failed frame asked for, echoed as {@code receipt-id} on the ERROR frame. */
    String receiptId() {
        return receiptId;
    }

    String detail() {
        return detail;
    }

    /** Further headers for the ERROR frame. */
    Map<String, String> headers() {
        return headers;
    }

    StompProtocolException withReceipt(String receipt) {
        return receipt == null || receiptId != null ? this
                : new StompProtocolException(getMessage(), receipt, detail, headers);
    }

    StompProtocolException withHeader(String name, String value) {
        Map<String, String> more = new HashMap<>(headers);
        more.put(name, value);
        return new StompProtocolException(getMessage(), receiptId, detail, Map.copyOf(more));
    }
}
