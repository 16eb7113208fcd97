// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedByInterruptException;

/** The one mapping from anything a request can throw to the errno its Rlerror carries. */
final class Errors {
    private static final System.Logger LOG = System.getLogger(Errors.class.getPackageName());

    private Errors() {}

    /**
     * The errno for {@code failure}: an {@link ErrnoException}'s own code (a client's mistake or a normal failure,
     * logged at DEBUG), EINTR for an interruption (a Tflush or a shutdown cancelled the request), and EIO for
     * anything else, which is a bug in the server or a backend and is logged at ERROR with its stack.
     */
    static int errno(Throwable failure) {
        if (failure instanceof ErrnoException e) {
            if (LOG.isLoggable(Level.DEBUG)) {
                LOG.log(Level.DEBUG, "{0}: {1} ({2})", RequestContext.describe(), e.errno(), e.getMessage());
            }
            return e.code();
        }
        if (isInterruption(failure)) {
            LOG.log(Level.DEBUG, "{0}: interrupted", RequestContext.describe());
            return Errno.EINTR.code();
        }
        LOG.log(Level.ERROR, RequestContext.describe() + ": internal error, answered EIO", failure);
        return Errno.EIO.code();
    }

    /** Whether {@code failure} is how an interrupted blocking call ends. */
    static boolean isInterruption(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof ClosedByInterruptException
                    || t instanceof InterruptedIOException) {
                return true;
            }
            if (t instanceof ErrnoException e && e.errno() == Errno.EINTR) {
                return true;
            }
        }
        return false;
    }

    /** An EBADF for a fid the client got wrong. */
    static ErrnoException badFid(int fid, String why) {
        return new ErrnoException(Errno.EBADF, "fid " + Integer.toUnsignedString(fid) + ": " + why);
    }
}
