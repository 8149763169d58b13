package io.tracemetrics.job.red;

/**
 * A series' counts for one window that has not been emitted yet.
 *
 * @param windowEnd the window's end, exclusive, in event-time milliseconds
 * @param series the series
 */
public record PendingKey(long windowEnd, SeriesKey series) {}
