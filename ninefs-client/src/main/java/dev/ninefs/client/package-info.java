// SPDX-License-Identifier: Apache-2.0
/**
 * A 9P2000.L client for any server (ninefs, diod, QEMU...).
 *
 * <ul>
 *   <li>{@link dev.ninefs.client.Connection}: connect by URI ({@code tcp://HOST:PORT}, {@code unix:/PATH}) or over
 *       an open {@link dev.ninefs.transport.FrameChannel}, negotiate msize, attach. Many requests in flight, each
 *       under its own tag; {@link dev.ninefs.client.ClientOptions} sets msize, timeout, the most in flight and the spin.</li>
 *   <li>{@link dev.ninefs.client.RemoteFile}: a fid. Walk, open, create, read, write, getattr, setattr, readdir,
 *       xattrs, locks, and the directory operations; clunked by {@code close()}, exactly once.</li>
 *   <li>Values: {@link dev.ninefs.client.FileAttr}, {@link dev.ninefs.client.AttrUpdate},
 *       {@link dev.ninefs.client.FsStat}, {@link dev.ninefs.client.FileLock},
 *       {@link dev.ninefs.client.LockStatus}.</li>
 * </ul>
 *
 * <p>Errors: an Rlerror is a {@link dev.ninefs.protocol.ErrnoException} with the server's exact number; a timeout
 * is ETIMEDOUT and an interrupt EINTR (the request is flushed with Tflush either way); a connection that is closed,
 * broken, or that the server broke the protocol on is a {@link dev.ninefs.client.ConnectionClosedException} for
 * every call waiting on it and every later one.
 *
 * <p>Buffers: a buffer passed to a write may be reused once the call returns: its bytes have been sent, or copied
 * if they had to wait (they are not copied into a frame otherwise: header and data leave in one gathering write). A
 * buffer a read returns ({@link dev.ninefs.client.RemoteFile#readAsync}) is a slice of that reply's own frame,
 * allocated for it alone: the caller may keep it. Reads into the caller's memory ({@code read}, {@code readFully})
 * of a large direct buffer receive the data straight into it when the calling thread reads its own replies (it
 * waits alone); otherwise, and for heap buffers, large replies arrive in pooled direct buffers of the connection
 * and are copied out once. Nothing is written into the caller's buffer after the call returns, whatever its end
 * (timeout, interrupt, error). A page-aligned direct buffer is fastest. Waiting alone for a reply, a caller polls
 * the socket for up to {@link dev.ninefs.client.ClientOptions#spin} before it sleeps.
 */
package dev.ninefs.client;
