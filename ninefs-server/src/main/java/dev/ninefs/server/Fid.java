// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Qid;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One fid of a session: its {@link FidState} and a count of uses. The fid table holds one use; every request
 * working on the fid holds another for its duration ({@link FidTable#use}, released by {@link #close}). The state
 * is released when the last use ends, so a Tclunk racing with a Tread on the same fid never closes a file under
 * the read, and every node and open file is closed exactly once.
 *
 * <p>State changes that keep the node (lopen, xattrcreate) happen here, in place. Changes that bring a new node
 * (walk onto the same fid, lcreate) put a new {@code Fid} in the table instead ({@link FidTable#replace}), so that
 * uses of the old one keep a live node.
 */
final class Fid implements AutoCloseable {
    private static final VarHandle USES;

    static {
        try {
            USES = MethodHandles.lookup().findVarHandle(Fid.class, "uses", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int number;
    private final Export export;
    private volatile FidState state;
    @SuppressWarnings("unused") // through USES
    private volatile int uses = 1;

    Fid(int number, Export export, FidState state) {
        this.number = number;
        this.export = export;
        this.state = state;
    }

    int number() {
        return number;
    }

    Export export() {
        return export;
    }

    FidState state() {
        return state;
    }

    /** Takes one more use; false if the fid is already released (it was clunked and its last use ended). */
    boolean retain() {
        for (int n = (int) USES.getVolatile(this); n > 0; n = (int) USES.getVolatile(this)) {
            if (USES.compareAndSet(this, n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Ends one use; the last one releases the state. */
    @Override
    public void close() {
        if ((int) USES.getAndAdd(this, -1) == 1) {
            // No transition can be running: transitions happen under a use, and this was the last.
            state.close();
        }
    }

    /** The node of a fid that is walked or opened; EBADF for an xattr fid. */
    Node node() throws ErrnoException {
        return switch (state) {
            case FidState.Walked w -> w.node();
            case FidState.Opened o -> o.node();
            case FidState.XattrRead x -> throw Errors.badFid(number, "is an xattr fid");
            case XattrWrite x -> throw Errors.badFid(number, "is an xattr fid");
        };
    }

    /** The node of a fid that is walked and not opened: what walk, lopen, lcreate and xattrcreate need. */
    Node unopened() throws ErrnoException {
        if (state instanceof FidState.Walked w) {
            return w.node();
        }
        throw Errors.badFid(number, "is open or an xattr fid");
    }

    /** The open file of an opened fid. */
    FidState.Opened opened() throws ErrnoException {
        if (state instanceof FidState.Opened o) {
            return o;
        }
        throw Errors.badFid(number, "is not open");
    }

    /** The qid of this fid's file as the export maps it. */
    Qid qid(Node node) throws ErrnoException {
        return export.qids().qid(node.fileId());
    }

    /** Tlopen: opens the node; a fid may be opened once (EBADF after). */
    synchronized OpenFile open(int flags) throws ErrnoException {
        Node node = unopened();
        OpenFile file = node.open(flags);
        state = new FidState.Opened(node, file, flags);
        return file;
    }

    /** Txattrcreate: the fid becomes the buffer of an attribute value, set when it is clunked. */
    synchronized void startXattrWrite(String name, int flags, int size) throws ErrnoException {
        Node node = unopened();
        if (size < 0 || size > XattrWrite.MAX_SIZE) {
            throw new ErrnoException(Errno.E2BIG, "xattr value of " + Integer.toUnsignedString(size) + " bytes");
        }
        state = new XattrWrite(node, name, flags, size);
    }
}
