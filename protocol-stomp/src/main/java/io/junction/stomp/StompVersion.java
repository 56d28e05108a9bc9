package io.junction.stomp;

/** The STOMP protocol versions, with what differs between them on the wire. */
enum StompVersion {
    V1_0("1.0"),
    V1_1("1.1"),
    V1_2("1.2");

    static final String SUPPORTED = "1.0,1.1,1.2";

    private final String text;

    StompVersion(String text) {
        this.text = text;
    }

    String text() {
        return text;
    }

    /**
     * The highest version in the client's {@code accept-version} header that we speak; 1.0 when
     * the header is absent (a 1.0 client does not send it); null when none is common.
     */
    static StompVersion negotiate(String acceptVersion) {
        if (acceptVersion == null || acceptVersion.isBlank()) {
            return V1_0;
        }
        StompVersion best = null;
        for (String offered : acceptVersion.split(",")) {
            for (StompVersion v : values()) {
                if (v.text.equals(offered.trim()) && (best == null || v.compareTo(best) > 0)) {
                    best = v;
                }
            }
        }
        return best;
    }

    /** 1.1 and later escape CR (1.2 only), LF, colon and backslash in header values. */
    boolean escapesHeaders() {
        return this != V1_0;
    }

    /** 1.2 acknowledges with the MESSAGE frame's {@code ack} header; earlier versions with {@code message-id}. */
    boolean acksByAckHeader() {
        return this == V1_2;
    }
}
