// SPDX-License-Identifier: Apache-2.0
/**
 * Transports: where 9P frames travel. An {@link dev.ninefs.transport.Endpoint} names one (TCP, Unix domain socket,
 * inherited file descriptors), {@link dev.ninefs.transport.Listener} accepts connections on it, and every
 * connection is a {@link dev.ninefs.transport.FrameChannel}: one reader thread pulling whole frames, any number of
 * writer threads pushing whole frames. All byte streams share one implementation,
 * {@link dev.ninefs.transport.StreamFrameChannel}; {@link dev.ninefs.transport.FrameAssembler} cuts any chunked
 * byte stream into frames for transports that do not block. Frame buffers follow the ownership rules of
 * {@link dev.ninefs.protocol}. Plain blocking calls, meant to run on virtual threads.
 */
package dev.ninefs.transport;
