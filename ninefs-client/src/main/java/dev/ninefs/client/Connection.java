// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.protocol.Codec;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Frame;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.ProtocolException;
import dev.ninefs.transport.Endpoint;
import dev.ninefs.transport.FrameChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A 9P2000.L connection to any server (ninefs, diod, QEMU...): negotiated with Tversion, then shared by any number
 * of threads, each request under its own tag so that many are in flight at once. Start here:
 *
 * <pre>{@code
 * try (Connection c = Connection.open("tcp://127.0.0.1:5640");
 *      RemoteFile root = c.attach("alice", "share", 1000)) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. Over a socket, callers write their own requests and a caller waiting for its reply reads it itself
 * when nobody else is reading; a virtual thread takes over what the socket cannot take at once, and another
 * reads the replies no caller reads. Over other channels one virtual thread reads and one writes. One
 * virtual thread watches deadlines when there is a timeout. Closing the connection fails every request still
 * waiting with {@link ConnectionClosedException}; it does not clunk fids (the server forgets them with the
 * connection).
 */
public final class Connection implements AutoCloseable {
    /** The only protocol this library speaks. */
    public static final String VERSION = "9P2000.L";
    /**
     * Room reserved for the header of Tread/Rread/Twrite, as the Linux client does (P9_IOHDRSZ). A Twrite needs
     * only 23, but servers such as diod refuse any count above msize - 24.
     */
    static final int IO_HEADER = 24;

    private final Multiplexer mux;
    private final FidPool fids;
    private final ClientOptions options;
    private final String peer;

    private Connection(Multiplexer mux, FidPool fids, ClientOptions options, String peer) {
        this.mux = mux;
        this.fids = fids;
        this.options = options;
        this.peer = peer;
    }

    /** Connects to {@code tcp://HOST:PORT} or {@code unix:/PATH} with {@link ClientOptions#defaults()}. */
    public static Connection open(String uri) throws IOException {
        return open(uri, ClientOptions.defaults());
    }

    /** Connects to {@code tcp://HOST:PORT} or {@code unix:/PATH} and negotiates the version. */
    public static Connection open(String uri, ClientOptions options) throws IOException {
        return open(Endpoint.parse(uri).connect(), options);
    }

    /**
     * Negotiates the version on an already open channel and takes it over: it is closed with the connection, or
     * at once if negotiation fails.
     *
     * @throws ErrnoException EPROTONOSUPPORT if the server does not speak 9P2000.L, EMSGSIZE if it grants an msize
     *     below {@link ClientOptions#MIN_MSIZE}, ETIMEDOUT if it does not answer within the timeout
     */
    public static Connection open(FrameChannel channel, ClientOptions options) throws IOException {
        try {
            int msize = negotiate(channel, options);
            FidPool fids = new FidPool();
            return new Connection(Multiplexer.start(channel, msize, options, fids), fids, options, channel.peer());
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static int negotiate(FrameChannel channel, ClientOptions options) throws IOException {
        CountDownLatch answered = new CountDownLatch(1);
        AtomicBoolean timedOut = new AtomicBoolean();
        if (!options.timeout().isZero()) {
            Thread.ofVirtual().name("9p-version-watchdog").start(() -> {
                try {
                    if (!answered.await(options.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
                        timedOut.set(true);
                        channel.close();
                    }
                } catch (InterruptedException | IOException ignored) {
                    // Nothing to watch any more.
                }
            });
        }
        Frame frame;
        try {
            channel.write(Multiplexer.encode(Message.NOTAG, new Message.Tversion(options.msize(), VERSION)));
            ByteBuffer in = channel.readFrame(options.msize());
            if (in == null) {
                throw new ConnectionClosedException(channel.peer() + " closed the connection before Rversion");
            }
            frame = Codec.decode(in);
        } catch (IOException e) {
            if (timedOut.get()) {
                throw new ErrnoException(Errno.ETIMEDOUT, channel.peer() + " did not answer Tversion within "
                        + options.timeout(), e);
            }
            throw e;
        } finally {
            answered.countDown();
        }
        return checkVersion(frame, options.msize(), channel.peer());
    }

    private static int checkVersion(Frame frame, int asked, String peer) throws IOException {
        Message reply = frame.message();
        if (reply instanceof Message.Rlerror e) {
            throw Multiplexer.errnoException(new Message.Tversion(asked, VERSION), e.ecode());
        }
        if (!(reply instanceof Message.Rversion(int msize, String version)) || frame.tag() != Message.NOTAG) {
            throw new ProtocolException(peer + " answered Tversion with " + Multiplexer.name(reply) + " tag "
                    + frame.tag(), frame.tag(), reply.type());
        }
        if (!VERSION.equals(version)) {
            throw new ErrnoException(Errno.EPROTONOSUPPORT, peer + " does not speak " + VERSION
                    + " (it answered version \"" + version + "\")");
        }
        if (Integer.compareUnsigned(msize, asked) > 0) {
            throw new ProtocolException(peer + " granted msize " + Integer.toUnsignedString(msize)
                    + ", more than the " + asked + " asked for", frame.tag(), reply.type());
        }
        if (msize < ClientOptions.MIN_MSIZE) {
            throw new ErrnoException(Errno.EMSGSIZE, peer + " granted msize " + msize + ", below the "
                    + ClientOptions.MIN_MSIZE + " this client needs");
        }
        return msize;
    }

    /** Attaches as {@code uname} without a numeric uid (n_uname = NONUNAME); new files get gid 0 by default. */
    public RemoteFile attach(String uname, String aname) throws IOException {
        return attach(uname, aname, Message.NONUNAME, 0);
    }

    /**
     * Attaches as {@code uname} / uid {@code nUname} to the tree {@code aname}. Files this handle creates get
     * gid {@code nUname} unless a gid is passed (see {@link #attach(String, String, int, int)}).
     */
    public RemoteFile attach(String uname, String aname, int nUname) throws IOException {
        return attach(uname, aname, nUname, nUname == Message.NONUNAME ? 0 : nUname);
    }

    /**
     * Attaches without authentication (afid NOFID) and returns the root of {@code aname}; closing it clunks it.
     *
     * @param gid the group that files created through this handle and those walked from it get by default
     */
    public RemoteFile attach(String uname, String aname, int nUname, int gid) throws IOException {
        int fid = fids.allocate();
        Message.Request attach = new Message.Tattach(fid, Message.NOFID, uname, aname, nUname);
        try {
            Message.Rattach r = (Message.Rattach) sendAwaited(attach, false).await();
            return new RemoteFile(this, fid, r.qid(), "/", gid);
        } catch (ErrnoException e) {
            throw new ErrnoException(e.code(), "attach " + uname + " to \"" + aname + "\": " + e.getMessage());
        }
    }

    /** Sends one request; the fid bookkeeping of its reply is done by the multiplexer. */
    CallFuture send(Message.Request request) {
        return mux.send(request);
    }

    /**
     * Sends a request whose reply the caller {@link CallFuture#await}s at once (and so may read itself); with
     * {@code pooledReply} a large Rread may come in a pooled buffer (see {@link CallFuture#recycle}).
     */
    CallFuture sendAwaited(Message.Request request, boolean pooledReply) {
        return mux.send(request, pooledReply, true, true);
    }

    /**
     * Sends a request of a transfer window ({@link Transfers}), whose caller awaits the reply later with
     * {@link CallFuture#awaitInTransfer}; with {@code pooledReply} a large Rread may come in a pooled buffer. The
     * caller may wait here for room in the socket (so that the data it lends need not be copied).
     */
    CallFuture sendInTransfer(Message.Request request, boolean pooledReply) {
        return mux.sendInTransfer(request, pooledReply);
    }

    /** Replies are due that nobody is going to await (a transfer gave up on part of its window). */
    void replyDue() {
        mux.replyDue();
    }

    FidPool fids() {
        return fids;
    }

    /** The msize the server granted: no frame in either direction is larger. */
    public int msize() {
        return mux.msize();
    }

    /** The largest count one Tread asks for (before a file's iounit lowers it). */
    public int maxReadSize() {
        return mux.msize() - IO_HEADER;
    }

    /** The most data one Twrite carries (before a file's iounit lowers it). */
    public int maxWriteSize() {
        return mux.msize() - IO_HEADER;
    }

    public ClientOptions options() {
        return options;
    }

    /** Who the server is, for messages: "tcp 127.0.0.1:5640". */
    public String peer() {
        return peer;
    }

    /** Requests sent and not yet answered (flushed ones count until their Rflush). */
    public int inFlight() {
        return mux.inFlight();
    }

    public boolean isOpen() {
        return mux.isOpen();
    }

    /** Closes the socket; requests still waiting fail with {@link ConnectionClosedException}. Idempotent. */
    @Override
    public void close() {
        mux.fail(new ConnectionClosedException("connection to " + peer + " closed by the client"));
    }

    @Override
    public String toString() {
        return "9P connection to " + peer + " (msize " + msize() + ")";
    }
}
