package io.junction.stomp;

/**
 * A client error that ends the connection: the message goes into the ERROR frame's
 * {@code message} header, the detail (if any) into its body.
 */
final class StompProtocolException extends Exception {

    private final String receiptId;
    private final String detail;

    StompProtocolException(String message) {
        this(message, null, null);
    }

    StompProtocolException(String message, String receiptId, String detail) {
        super(message, null, false, false);
        this.receiptId = receiptId;
        this.detail = detail;
    }

    /** The receipt the failed frame asked for, echoed as {@code receipt-id} on the ERROR frame. */
    String receiptId() {
        return receiptId;
    }

    String detail() {
        return detail;
    }

    StompProtocolException withReceipt(String receipt) {
        return receipt == null || receiptId != null ? this : new StompProtocolException(getMessage(), receipt, detail);
    }
}
