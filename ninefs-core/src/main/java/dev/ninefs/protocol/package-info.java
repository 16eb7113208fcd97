// SPDX-License-Identifier: Apache-2.0
/**
 * 9P2000.L messages ({@link dev.ninefs.protocol.Message}), their {@link dev.ninefs.protocol.Codec}, and the frame
 * layout ({@link dev.ninefs.protocol.FrameHeader}).
 *
 * <h2>Buffer ownership</h2>
 * These are the only rules; every transport, the server and the client follow them.
 * <ol>
 *   <li><b>Who allocates a frame.</b> The reader of a connection: {@code FrameChannel.readFrame} (or a
 *       {@code FrameAssembler}) allocates one buffer per incoming frame, after checking the size field against the
 *       negotiated msize, and hands it to its caller. From then on the caller owns it; the transport never touches
 *       it again. One exception: a large Twrite comes in a pooled direct buffer
 *       ({@code dev.ninefs.transport.FrameBuffers}), which whoever consumes the Twrite gives back with
 *       {@code FrameBuffers.give(data)} once nothing reads it any more (the server: right after the backend's
 *       write). Only then is it reused; one never given back is reclaimed by the garbage collector.</li>
 *   <li><b>What a decoded message keeps.</b> {@link dev.ninefs.protocol.Codec#decode} copies every scalar and
 *       string out of the frame, but {@code Twrite.data} and {@code Rread.data} are slices of the frame: they share
 *       its memory, no copy. They are valid as long as the frame is, so the frame must not be reused or
 *       overwritten while anyone still holds a message decoded from it. In practice the frame lives until the
 *       request that arrived in it has been answered (server) or until the caller consumed the Rread (client);
 *       whoever wants the data longer copies it.</li>
 *   <li><b>Encoding.</b> {@link dev.ninefs.protocol.Codec#encode} writes into a buffer the caller supplies and keeps
 *       no reference to it or to the message. The caller may reuse the buffer once it has been written to the
 *       channel. A {@code Twrite.data} or {@code Rread.data} being encoded is read between its position and limit
 *       and neither is moved, so the same buffer may be sent to several peers.</li>
 *   <li><b>Zero-copy writes.</b> {@link dev.ninefs.protocol.Codec#encodeWithoutPayload} writes the frame up to the
 *       data; the caller passes that head and {@link dev.ninefs.protocol.Codec#payload} to one gathering
 *       {@code FrameChannel.write}. The payload buffer must not change until that write returns.</li>
 *   <li><b>Byte order.</b> The codec reads and writes little-endian whatever the buffer's order, and leaves the
 *       order as it found it. Payload slices are plain big-endian buffers like any fresh one.</li>
 *   <li><b>Threads.</b> A frame buffer is used by one thread at a time; handing it to another thread (reader to
 *       request handler) is the hand-off, no sharing. Decoded messages are immutable records and may be shared,
 *       but their payload slices have their own position and limit, so give each reader a duplicate.</li>
 * </ol>
 * No other buffer pool: one heap allocation per small frame is cheap next to a system call. The Twrite pool pays
 * for large writes (a 1 MiB heap frame cost a zeroed allocation and two copies) and needs no reference count,
 * because exactly one consumer holds a Twrite.
 */
package dev.ninefs.protocol;
