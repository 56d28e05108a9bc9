package io.junction.core.store.journal;

/** When the journal forces its writes to disk. */
public enum FsyncPolicy {
    /** After every batch, before anyone is told the write succeeded (group commit). */
    ALWAYS,
    /** On a timer; writes are acknowledged before they are durable. */
    INTERVAL,
    /** Never explicitly; the operating system decides. */
    NEVER
}
