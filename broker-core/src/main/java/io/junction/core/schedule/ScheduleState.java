package io.junction.core.schedule;

/**
 * Where a schedule stands: when it delivers next, and how far it has come. Stored with every
 * delivery, so that a restarted broker goes on where it stopped.
 *
 * @param nextDelivery epoch milliseconds of the next delivery
 * @param seriesStart  when the current series began: the send, or the cron match that started it
 * @param delivered    deliveries already made in the current series (0 to repeat)
 * @param version      deliveries made in all; a later state has a higher one, which is how replay
 *                     tells the current state whatever order compaction left the records in
 */
public record ScheduleState(long nextDelivery, long seriesStart, int delivered, long version) {
}
