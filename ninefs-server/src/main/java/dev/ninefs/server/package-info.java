// SPDX-License-Identifier: Apache-2.0
/**
 * The 9P2000.L server: {@link dev.ninefs.server.NinefsServer} and its builder, sessions, fids, Tflush and dispatch.
 *
 * <h2>Threads</h2>
 * Per connection, one virtual reader thread reads frames, answers Tversion and Tflush itself (they order the
 * others) and starts one virtual thread per other request. A request thread runs the backend call, encodes its
 * reply and hands it to the connection's {@code ReplyWriter}, which writes replies as they finish, several in one
 * gathering write when they finish together. No platform thread per request or connection.
 *
 * <h2>Ownership</h2>
 * Tread data is read into a direct buffer lent by {@code ReadBuffers} and written to the socket from it; the session
 * gives it back once the reply is written or dropped. A fid owns its node and open file; a request holds a use of each fid it works on, and the node is closed when the
 * fid is clunked and the last use ends, so every node and open file is closed exactly once, also when a connection
 * or the server closes with requests in flight.
 *
 * <h2>Cancellation</h2>
 * Tflush, a mid-session Tversion and closing interrupt the request's virtual thread. Backends therefore must not
 * block in {@link java.nio.channels.InterruptibleChannel}s they keep (an interrupt closes such a channel for good);
 * blocking in interruptible waits, or in plain system calls that finish, is fine.
 *
 * <h2>Decorators</h2>
 * {@link dev.ninefs.server.ForwardingFileSystem}, {@link dev.ninefs.server.ForwardingNode} and
 * {@link dev.ninefs.server.ForwardingOpenFile} are the bases for behaviour layered over a backend; the read-only
 * export is one.
 */
package dev.ninefs.server;
