// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.Message.*;

/**
 * Turns one request into its reply, on the request's own thread. The switch is exhaustive: a 9P2000.L message
 * nobody handles does not compile. Failures are thrown as {@link ErrnoException} and become Rlerror in the
 * session.
 */
final class Dispatch {
    private final FileRequests files;
    private final IoRequests io;
    private final DirectoryRequests directories;
    private final XattrRequests xattrs;

    Dispatch(SessionContext session) {
        this.files = new FileRequests(session);
        this.io = new IoRequests(session);
        this.directories = new DirectoryRequests(session);
        this.xattrs = new XattrRequests(session);
    }

    Message.Response handle(Message.Request request) throws ErrnoException {
        return switch (request) {
            // The session answers these itself, on the reader thread, because they order the others.
            case Tversion v -> throw new IllegalStateException("Tversion is handled by the session");
            case Tflush f -> throw new IllegalStateException("Tflush is handled by the session");
            // No authentication: afid must be NOFID in Tattach. ENOENT is what diod answers, and what diod's own
            // clients (diodls, diodcat, diodmount) take to mean "attach without auth"; EOPNOTSUPP makes them give up.
            case Tauth a -> throw new ErrnoException(Errno.ENOENT, "no authentication required");
            case Tattach a -> files.attach(a);
            case Twalk w -> files.walk(w);
            case Tclunk c -> files.clunk(c);
            case Tremove r -> files.remove(r);
            case Tgetattr g -> files.getattr(g);
            case Tsetattr s -> files.setattr(s);
            case Tstatfs s -> files.statfs(s);
            case Treadlink r -> files.readlink(r);
            case Tlopen o -> io.lopen(o);
            case Tlcreate c -> io.lcreate(c);
            case Tread r -> io.read(r);
            case Twrite w -> io.write(w);
            case Treaddir r -> io.readdir(r);
            case Tfsync f -> io.fsync(f);
            case Tlock l -> io.lock(l);
            case Tgetlock l -> io.getlock(l);
            case Tmkdir m -> directories.mkdir(m);
            case Tsymlink s -> directories.symlink(s);
            case Tmknod m -> directories.mknod(m);
            case Tlink l -> directories.link(l);
            case Trename r -> directories.rename(r);
            case Trenameat r -> directories.renameat(r);
            case Tunlinkat u -> directories.unlinkat(u);
            case Txattrwalk x -> xattrs.xattrwalk(x);
            case Txattrcreate x -> xattrs.xattrcreate(x);
        };
    }
}
