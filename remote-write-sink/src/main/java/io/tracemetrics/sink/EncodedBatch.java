package io.tracemetrics.sink;

/**
 * One compressed WriteRequest, ready to send; shared read-only by every endpoint's sender.
 *
 * @param compressed the snappy block-format body; never modified after construction
 * @param uncompressedBytes the protobuf size before compression, for the bytes metrics
 * @param series series in the request
 * @param samples samples in the request
 */
record EncodedBatch(byte[] compressed, int uncompressedBytes, int series, int samples) {}
