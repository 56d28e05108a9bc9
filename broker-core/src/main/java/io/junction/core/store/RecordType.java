package io.junction.core.store;

/**
 * The kinds of journal record the store writes. Payload layouts are in {@link StoreRecords}.
 */
final class RecordType {

    /** A durable queue or durable subscription: its id and definition. */
    static final byte QUEUE_ADD = 1;
    /** A durable queue or subscription was deleted, with the messages it held. */
    static final byte QUEUE_REMOVE = 2;
    /** A persistent message and the durable queues it was routed to. */
    static final byte MESSAGE = 3;
    /** A message left one queue (consumed, dead-lettered, expired). */
    static final byte ACK = 4;
    /** Makes the records of one local transaction take effect. */
    static final byte TX_COMMIT = 5;
    /** A protocol's state value under a namespace and key (MQTT sessions, retained messages). */
    static final byte STATE_PUT = 6;
    static final byte STATE_REMOVE = 7;
    /** A persistent scheduled message, its schedule and where the schedule stands. */
    static final byte SCHEDULE = 8;
    /** Where a schedule stands after a delivery; the one with the highest version counts. */
    static final byte SCHEDULE_STATE = 9;
    /** A schedule made its last delivery: its message is no longer needed. */
    static final byte SCHEDULE_DONE = 10;

    private RecordType() {
    }
}
