// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.fs.Node;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Message.*;
import dev.ninefs.protocol.Qid;

/** Requests that change a directory: mkdir, symlink, mknod, link, rename, renameat, unlinkat. */
final class DirectoryRequests {
    private final SessionContext session;

    DirectoryRequests(SessionContext session) {
        this.session = session;
    }

    Rmkdir mkdir(Tmkdir m) throws ErrnoException {
        try (Fid dir = session.fids().use(m.dfid())) {
            return new Rmkdir(qidAndClose(dir, dir.node().mkdir(Names.newEntry(m.name()), m.mode(), m.gid())));
        }
    }

    Rsymlink symlink(Tsymlink s) throws ErrnoException {
        try (Fid dir = session.fids().use(s.fid())) {
            return new Rsymlink(qidAndClose(dir, dir.node().symlink(Names.newEntry(s.name()), s.symtgt(), s.gid())));
        }
    }

    Rmknod mknod(Tmknod m) throws ErrnoException {
        try (Fid dir = session.fids().use(m.dfid())) {
            Node made = dir.node().mknod(Names.newEntry(m.name()), m.mode(), m.major(), m.minor(), m.gid());
            return new Rmknod(qidAndClose(dir, made));
        }
    }

    /** Tlink: dfid is the directory, fid the file that gets a new name. */
    Rlink link(Tlink l) throws ErrnoException {
        try (Fid dir = session.fids().use(l.dfid()); Fid target = session.fids().use(l.fid())) {
            dir.node().link(Names.newEntry(l.name()), target.node());
            return new Rlink();
        }
    }

    Rrename rename(Trename r) throws ErrnoException {
        try (Fid file = session.fids().use(r.fid()); Fid dir = session.fids().use(r.dfid())) {
            file.node().rename(dir.node(), Names.renameEntry(r.name()));
            return new Rrename();
        }
    }

    Rrenameat renameat(Trenameat r) throws ErrnoException {
        try (Fid from = session.fids().use(r.olddirfid()); Fid to = session.fids().use(r.newdirfid())) {
            from.node().renameAt(Names.renameEntry(r.oldname()), to.node(), Names.renameEntry(r.newname()));
            return new Rrenameat();
        }
    }

    Runlinkat unlinkat(Tunlinkat u) throws ErrnoException {
        if ((u.flags() & ~Dotl.AT_REMOVEDIR) != 0) {
            throw new ErrnoException(Errno.EINVAL, "unlinkat flags " + Integer.toHexString(u.flags()));
        }
        try (Fid dir = session.fids().use(u.dirfid())) {
            dir.node().unlinkAt(Names.unlinkEntry(u.name()), u.flags());
            return new Runlinkat();
        }
    }

    /** The qid of a node just made, which no fid keeps. */
    private static Qid qidAndClose(Fid dir, Node made) throws ErrnoException {
        try (made) {
            return dir.qid(made);
        }
    }
}
