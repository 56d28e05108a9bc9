package io.junction.interop.security;

/** The users and ACLs the authorization tests of every protocol share. */
final class Acl {

    private Acl() {
    }

    /**
     * alice (group apps) and bob (group readers): bob reads the sensors and orders, may write to
     * {@code drop.*} queues but not create them; {@code private.>} is alice's alone. alice may
     * create temporary destinations and bob may only answer to them.
     */
    static final String ACLS = """
            acls:
              - match: sensors.*.temp
                type: topic
                read: [apps, readers]
                write: [apps]
                admin: [apps, readers]
              - match: private.>
                read: [user:alice]
                write: [user:alice]
                admin: [user:alice]
              - match: orders
                type: queue
                read: [apps, readers]
                write: [apps]
                admin: [apps]
              - match: drop.*
                type: queue
                read: [apps]
                write: [apps, readers]
                admin: [apps]
              - match: ">"
                type: temporary
                write: [readers]
                admin: [apps]
            """;

    /** The same with bob allowed to write to {@code orders}, for the reload tests. */
    static final String ACLS_BOB_WRITES_ORDERS = replaceOnce(ACLS, """
                read: [apps, readers]
                write: [apps]
                admin: [apps]
            """, """
                read: [apps, readers]
                write: [apps, "user:bob"]
                admin: [apps]
            """);

    /** The same with bob no longer allowed to read the sensors. */
    static final String ACLS_BOB_CANNOT_READ_SENSORS = replaceOnce(ACLS, """
                read: [apps, readers]
                write: [apps]
                admin: [apps, readers]
            """, """
                read: [apps]
                write: [apps]
                admin: [apps, readers]
            """);

    private static String replaceOnce(String text, String what, String with) {
        if (!text.contains(what)) {
            throw new IllegalStateException("not in the ACLs: " + what);
        }
        return text.replace(what, with);
    }
}
