// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.protocol.Codec;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Frame;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.Message.Rflush;
import dev.ninefs.protocol.Message.Rlerror;
import dev.ninefs.protocol.Message.Rversion;
import dev.ninefs.protocol.Message.Tflush;
import dev.ninefs.protocol.Message.Tversion;
import dev.ninefs.protocol.ProtocolException;
import dev.ninefs.transport.FrameChannel;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * One connection: a reader thread ({@link SessionReader}) reads frames and starts a virtual thread per request;
 * replies go out through one {@link ReplyWriter} as they finish, in any order. A quick request (getattr, walk, clunk, read, write
 * on an export whose calls are bounded) that is alone in flight, from a client that sent nothing after it, runs on
 * the reader thread itself: a client waiting for each reply then costs one thread wake-up per request, not three.
 * While it runs the reader reads nothing; a Tflush for it comes after it and is answered after its reply.
 *
 * <p>Decisions where the spec leaves room (each has a test):
 * <ul>
 *   <li>Tversion: "9P2000.L" exactly, anything else is answered "unknown"; msize is min(client, server maximum),
 *       and a client msize below 4096 is Rlerror(EMSGSIZE). Until a Tversion succeeds every other request gets
 *       Rlerror(EPROTO). A Tversion mid-session aborts every request in flight (they get no reply) and clunks
 *       every fid before it is answered.</li>
 *   <li>Tflush: answered at once for a tag not in flight. For one in flight the request is interrupted; if it
 *       still succeeds its reply goes out first, if it fails it gets no reply; then the Rflush (several Tflushes
 *       of one tag: all, in order).</li>
 *   <li>A new request under a tag still in flight breaks the protocol (the client could not tell the replies
 *       apart): the connection is closed.</li>
 *   <li>At {@code maxInFlight} requests running, the reader stops reading (TCP backpressure) until one finishes,
 *       rather than failing requests the client cannot retry sensibly. A Tflush behind that waits too.</li>
 *   <li>A frame whose body is malformed gets Rlerror (the codec's errno: EPROTO, EINVAL for nwname above 16,
 *       EOPNOTSUPP for an unknown type); a bad size field, a truncated stream or an unreadable header closes this
 *       connection only.</li>
 * </ul>
 */
final class Session implements Connection, SessionContext, SessionReader.Steps {
    private static final System.Logger LOG = System.getLogger(Session.class.getPackageName());
    static final String VERSION = "9P2000.L";
    static final int MIN_MSIZE = 4096;
    /** Protocol violations logged at WARN per connection; the rest at DEBUG, so a hostile peer cannot flood logs. */
    private static final int WARNINGS = 3;

    private final long id;
    private final FrameChannel channel;
    private final String peer;
    private final ServerConfig config;
    private final FidTable fids;
    private final ConcurrentHashMap<Integer, InFlight> tags = new ConcurrentHashMap<>();
    private final Semaphore permits;
    private final ReplyWriter writer;
    private final Dispatch dispatch;
    private final Consumer<Session> onClosed;
    private final CountDownLatch closed = new CountDownLatch(1);
    /** The negotiated msize; 0 until a Tversion succeeds. Written by the reader only. */
    private volatile int msize;
    private volatile boolean closing;
    private int warnings;
    private final SessionReader reader;

    Session(long id, FrameChannel channel, ServerConfig config, Consumer<Session> onClosed) {
        this.id = id;
        this.channel = channel;
        this.peer = channel.peer();
        this.config = config;
        this.fids = new FidTable(config.maxFids());
        this.permits = new Semaphore(config.maxInFlight());
        this.writer = new ReplyWriter(channel, this::close);
        this.dispatch = new Dispatch(this);
        this.onClosed = onClosed;
        this.reader = new SessionReader(id, this, config.spin());
    }

    void start() {
        LOG.log(Level.DEBUG, "conn {0}: {1} connected", id, peer);
        reader.start();
    }

    // ---- Connection and SessionContext ----------------------------------------------------------------------

    @Override
    public long id() {
        return id;
    }

    @Override
    public long connectionId() {
        return id;
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public FidTable fids() {
        return fids;
    }

    @Override
    public Export export(String aname) throws ErrnoException {
        return config.export(aname);
    }

    @Override
    public int msize() {
        return msize;
    }

    @Override
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    @Override
    public boolean isClosed() {
        return closed.getCount() == 0;
    }

    /**
     * Cancels what is in flight and closes the channel; the reader then finds the channel closed and releases the
     * fids. The reader is interrupted only while it runs a request itself (like any request's thread, and never
     * after the request is done): it blocks only on the channel and on permits, and both come free.
     */
    @Override
    public void close() {
        closing = true;
        abortAll();
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing {0}: {1}", peer, e.toString());
        }
    }

    // ---- the reader -----------------------------------------------------------------------------------------

    @Override
    public void failed(Throwable t) {
        switch (t) {
            case ProtocolException e -> warn("closing: " + e.getMessage());
            case IOException e -> LOG.log(Level.DEBUG, "conn {0}: {1}", id, e.toString());
            default -> LOG.log(Level.ERROR, "conn " + id + " (" + peer + "): reader failed", t);
        }
    }

    @Override
    public boolean pollInput() throws IOException {
        return closing || channel.pollInput();
    }

    /** Reads and handles one frame. */
    @Override
    public SessionReader.Step step() throws IOException {
        if (closing) {
            return SessionReader.Step.CUT;
        }
        ByteBuffer frame = channel.readFrame(msize == 0 ? config.maxMsize() : msize);
        if (frame == null) {
            return SessionReader.Step.CLEAN_END;
        }
        Frame f;
        try {
            f = Codec.decode(frame);
        } catch (ProtocolException e) {
            return answerMalformed(e) ? SessionReader.Step.NEXT : SessionReader.Step.CUT;
        }
        return accept(f) ? SessionReader.Step.NEXT : SessionReader.Step.CUT;
    }

    private boolean answerMalformed(ProtocolException e) {
        if (e.tag() == ProtocolException.NO_TAG) {
            warn("closing: " + e.getMessage());
            return false;
        }
        if (inFlight(e.tag())) {
            warn("closing: malformed frame under tag " + e.tag() + ", which is in flight");
            return false;
        }
        warn("malformed frame, type " + e.type() + " tag " + e.tag() + ": " + e.getMessage());
        Errno errno = e.errno() == null ? Errno.EPROTO : e.errno();
        send(e.tag(), new Rlerror(errno.code()));
        return true;
    }

    /** Starts one request; false if the connection must be cut. */
    private boolean accept(Frame f) {
        if (!(f.message() instanceof Message.Request request)) {
            if (inFlight(f.tag())) {
                warn("closing: R-message under tag " + f.tag() + ", which is in flight");
                return false;
            }
            warn("R-message " + f.message().type() + " from a client");
            send(f.tag(), new Rlerror(Errno.EPROTO.code()));
            return true;
        }
        if (request instanceof Tversion v) {
            version(f.tag(), v);
            return true;
        }
        if (msize == 0) {
            LOG.log(Level.DEBUG, "conn {0}: {1} before Tversion", id, request.getClass().getSimpleName());
            send(f.tag(), new Rlerror(Errno.EPROTO.code()));
            return true;
        }
        if (request instanceof Tflush flush) {
            return flush(f.tag(), flush);
        }
        permits.acquireUninterruptibly();
        InFlight inFlight = new InFlight(f.tag(), true);
        // Alone, quick, and the client waits for its reply before it sends more (nothing more has arrived): run
        // it here, which saves starting a thread and waking a carrier for it. A pipelining client gets a thread
        // per request, or its requests would run one after the other.
        boolean lone = alone() && !channel.inputWaiting();
        boolean inline = lone && quick(request);
        reader.observe(lone, inline);
        inFlight.runOn(inline ? Thread.currentThread() : Thread.ofVirtual().unstarted(() -> execute(inFlight, request)));
        if (!register(inFlight)) {
            permits.release();
            return false;
        }
        if (closing) {
            // close() sets closing before it aborts what is registered: either it saw this request, or this sees
            // closing. Then the request never starts, and gets no reply.
            inFlight.abort();
            finish(inFlight, new Rlerror(Errno.EINTR.code()), true);
            return false;
        }
        if (inline) {
            execute(inFlight, request);
        } else {
            inFlight.start();
        }
        return true;
    }

    /** Whether the request holding a permit is the only one in flight (the caller holds one). */
    private boolean alone() {
        return permits.availablePermits() == config.maxInFlight() - 1;
    }

    /**
     * Whether {@code request} may run on the reader thread: any request on a fid of an export whose calls are
     * bounded ({@link dev.ninefs.fs.FileSystem#quickCalls}; Tlock never waits, see {@link IoRequests#lock}), but
     * fsync, which may wait for a busy disk for seconds; session-level requests never. A request on a fid that is
     * not there gets its own thread (and its error from there).
     */
    private boolean quick(Message.Request request) {
        return switch (request) {
            case Message.Tgetattr r -> quickCalls(r.fid());
            case Message.Twalk r -> quickCalls(r.fid());
            case Message.Tclunk r -> quickCalls(r.fid());
            case Message.Tread r -> quickCalls(r.fid());
            case Message.Twrite r -> quickCalls(r.fid());
            case Message.Tlopen r -> quickCalls(r.fid());
            case Message.Tlcreate r -> quickCalls(r.fid());
            case Message.Tsymlink r -> quickCalls(r.fid());
            case Message.Tmknod r -> quickCalls(r.dfid());
            case Message.Trename r -> quickCalls(r.fid());
            case Message.Treadlink r -> quickCalls(r.fid());
            case Message.Tsetattr r -> quickCalls(r.fid());
            case Message.Txattrwalk r -> quickCalls(r.fid());
            case Message.Txattrcreate r -> quickCalls(r.fid());
            case Message.Treaddir r -> quickCalls(r.fid());
            case Message.Tgetlock r -> quickCalls(r.fid());
            case Message.Tlink r -> quickCalls(r.dfid());
            case Message.Tmkdir r -> quickCalls(r.dfid());
            case Message.Trenameat r -> quickCalls(r.olddirfid());
            case Message.Tunlinkat r -> quickCalls(r.dirfid());
            case Message.Tremove r -> quickCalls(r.fid());
            case Message.Tstatfs r -> quickCalls(r.fid());
            case Message.Tlock r -> quickCalls(r.fid());
            case Message.Tfsync r -> false;
            case Message.Tversion r -> false;
            case Message.Tauth r -> false;
            case Message.Tattach r -> false;
            case Message.Tflush r -> false;
        };
    }

    private boolean quickCalls(int number) {
        try (Fid fid = fids.use(number)) {
            return fid.export().fileSystem().quickCalls();
        } catch (ErrnoException e) {
            return false;
        }
    }

    private boolean inFlight(int tag) {
        InFlight f = tags.get(tag);
        return f != null && !f.isDone();
    }

    /** Puts a request under its tag; false (a protocol violation) if that tag is still in flight. */
    private boolean register(InFlight f) {
        while (true) {
            InFlight old = tags.putIfAbsent(f.tag, f);
            if (old == null) {
                return true;
            }
            // A finished request stays in the table until just after its reply is queued, so a client that
            // reuses the tag at once may find it there: that is not a violation.
            if (!old.isDone()) {
                warn("closing: tag " + f.tag + " reused while in flight");
                return false;
            }
            if (tags.replace(f.tag, old, f)) {
                return true;
            }
        }
    }

    // ---- version and flush, on the reader thread ---------------------------------------------------------------

    private void version(int tag, Tversion v) {
        reset();
        long asked = Integer.toUnsignedLong(v.msize());
        int offered = (int) Math.min(asked, config.maxMsize());
        if (!VERSION.equals(v.version())) {
            msize = 0;
            LOG.log(Level.DEBUG, "conn {0}: unknown version {1}", id, v.version());
            send(tag, new Rversion(offered, "unknown"));
        } else if (asked < MIN_MSIZE) {
            msize = 0;
            LOG.log(Level.DEBUG, "conn {0}: msize {1} below {2}", id, asked, MIN_MSIZE);
            send(tag, new Rlerror(Errno.EMSGSIZE.code()));
        } else {
            msize = offered;
            send(tag, new Rversion(offered, VERSION));
        }
    }

    /** Tversion's reset: every request in flight aborted (no replies), every fid clunked. */
    private void reset() {
        abortAll();
        awaitIdle();
        tags.clear();
        fids.clear();
    }

    private boolean flush(int tag, Tflush flush) {
        InFlight self = new InFlight(tag, false);
        if (!register(self)) {
            return false;
        }
        InFlight target = tags.get(flush.oldtag());
        if (target == null || target == self || !target.flushBy(self)) {
            finish(self, new Rflush(), false);
        }
        return true;
    }

    // ---- requests, each on its own virtual thread -----------------------------------------------------------

    private void execute(InFlight f, Message.Request request) {
        ScopedValue.where(RequestContext.CURRENT, new RequestContext(id, f.tag, peer)).run(() -> {
            Message.Response reply;
            boolean failed = false;
            try {
                reply = dispatch.handle(request);
            } catch (Throwable t) {
                failed = true;
                reply = new Rlerror(Errors.errno(t));
            }
            finish(f, reply, failed);
        });
    }

    /**
     * Queues the reply (unless the request was cancelled or aborted), then the Rflushes waiting on it, then writes.
     * The reply is queued before the tag leaves the table, so a Tflush that no longer finds the tag is answered
     * after the reply.
     */
    private void finish(InFlight f, Message.Response reply, boolean failed) {
        ReplyWriter.Reply frame = ReplyWriter.encode(f.tag, reply);
        List<InFlight> flushes;
        synchronized (f) {
            if (f.markDone(failed)) {
                writer.enqueue(frame);
            } else {
                frame.drop();
            }
            tags.remove(f.tag, f);
            flushes = f.flushes();
        }
        for (InFlight flush : flushes) {
            finish(flush, new Rflush(), false);
        }
        writer.flush(f.permit && alone());
        if (f.permit) {
            permits.release();
        }
    }

    /** Sends a reply that belongs to no request in flight (version, errors for bad frames). */
    private void send(int tag, Message.Response reply) {
        writer.enqueue(ReplyWriter.encode(tag, reply));
        writer.flush(false);
    }

    // ---- the end --------------------------------------------------------------------------------------------

    private void abortAll() {
        for (InFlight f : tags.values()) {
            f.abort();
        }
    }

    /** Waits until no request is running (they give their permits back as they finish). */
    private void awaitIdle() {
        permits.acquireUninterruptibly(config.maxInFlight());
        permits.release(config.maxInFlight());
    }

    /**
     * After a clean end of stream the requests in flight finish and are answered (a client may half-close after
     * its last request); otherwise they are cancelled. Then every fid is clunked.
     */
    @Override
    public void end(boolean clean) {
        try {
            if (!clean) {
                closing = true;
                abortAll();
            }
            awaitIdle();
            tags.clear();
            fids.clear();
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing {0}: {1}", peer, e.toString());
            }
            LOG.log(Level.DEBUG, "conn {0}: {1} closed", id, peer);
        } finally {
            onClosed.accept(this);
            closed.countDown();
        }
    }

    private void warn(String what) {
        Level level = warnings++ < WARNINGS ? Level.WARNING : Level.DEBUG;
        LOG.log(level, "conn {0} ({1}): {2}", id, peer, what);
    }

    @Override
    public String toString() {
        return "conn " + id + " (" + peer + ")";
    }
}
