/**
 * Reads and validates {@code conf/broker.yaml} into immutable records.
 *
 * <p>{@link io.junction.core.config.ConfigLoader} is the entry point. Every problem in the file
 * is reported as a one-line {@link io.junction.core.config.ConfigException} naming the file and
 * line, so an operator can fix a bad start-up without reading a stack trace.
 */
package io.junction.core.config;
