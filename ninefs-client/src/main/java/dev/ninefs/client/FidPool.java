// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.Message;
import java.util.Arrays;

/**
 * The free list of fid numbers of one connection. A number comes back only when the server no longer knows it:
 * after the reply to its Tclunk or Tremove, or when the request that would have created it failed. The
 * {@link Multiplexer} decides which, since only it sees every reply (including those of flushed requests).
 */
final class FidPool {
    private int[] free = new int[16];
    private int top;
    private int next;

    /** A fid number the server does not know. */
    synchronized int allocate() throws ErrnoException {
        if (top > 0) {
            return free[--top];
        }
        if (next == Message.NOFID) {
            throw new ErrnoException(Errno.EMFILE, "all 2^32-1 fid numbers are in use");
        }
        return next++;
    }

    synchronized void release(int fid) {
        if (top == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[top++] = fid;
    }

    /** The fid {@code request} brings into being on the server when it succeeds, or -1. */
    static int createdBy(Message.Request request) {
        return switch (request) {
            case Message.Tattach t -> t.fid();
            case Message.Twalk t -> t.newfid() == t.fid() ? -1 : t.newfid();
            case Message.Txattrwalk t -> t.newfid();
            default -> -1;
        };
    }

    /** The fid {@code request} ends on the server whatever its outcome (clunk and remove both do), or -1. */
    static int endedBy(Message.Request request) {
        return switch (request) {
            case Message.Tclunk t -> t.fid();
            case Message.Tremove t -> t.fid();
            default -> -1;
        };
    }

    /**
     * Whether the fid of {@link #createdBy} exists after {@code reply}: after anything but Rlerror. A partial walk
     * counts as created: the spec says its newfid was not made, but some servers (diod) make it anyway, so the
     * walker clunks it, as the Linux client does, and the number comes back with the Rclunk (or Rlerror).
     */
    static boolean created(Message.Response reply) {
        return !(reply instanceof Message.Rlerror);
    }

    /** How many numbers are handed out now (for tests and leak checks). */
    synchronized int inUse() {
        return next - top;
    }
}
