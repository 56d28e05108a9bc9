package io.junction.core.broker;

import io.junction.core.config.DiskFullPolicy;

import java.nio.file.Path;

/**
 * The broker-wide resource limits.
 *
 * @param maxMemory         message bytes all queues together hold in memory before they page
 * @param maxDiskUsage      journal and page-file bytes allowed; 0 = only the disk's own size
 * @param diskFullPolicy    what persistent sends get at {@code maxDiskUsage}
 * @param pagingDirectory   where queues over their memory limit write page files
 */
public record Limits(long maxMemory, long maxDiskUsage, DiskFullPolicy diskFullPolicy, Path pagingDirectory) {
}
