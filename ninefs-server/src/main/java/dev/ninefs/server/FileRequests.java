// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.SetAttr;
import dev.ninefs.fs.StatFs;
import dev.ninefs.fs.User;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.Message.*;
import dev.ninefs.protocol.Qid;
import java.util.ArrayList;
import java.util.List;

/** Requests about fids and the files they name: attach, walk, clunk, remove, getattr, setattr, statfs, readlink. */
final class FileRequests {
    private final SessionContext session;

    FileRequests(SessionContext session) {
        this.session = session;
    }

    Rattach attach(Tattach a) throws ErrnoException {
        if (a.afid() != Message.NOFID) {
            throw Errors.badFid(a.afid(), "no authentication fids exist");
        }
        Export export = session.export(a.aname());
        FidTable fids = session.fids();
        fids.checkFree(a.fid());
        Node root = export.fileSystem().attach(new User(a.nUname(), a.uname()));
        return new Rattach(install(fids, a.fid(), export, root));
    }

    /**
     * Twalk: no names clones the fid; otherwise each name is looked up in turn. A failure at the first name is an
     * Rlerror; a failure later answers the qids walked so far, and newfid is not created. newfid may be fid: it then
     * moves to the file reached, on full success only.
     */
    Rwalk walk(Twalk w) throws ErrnoException {
        FidTable fids = session.fids();
        try (Fid fid = fids.use(w.fid())) {
            boolean sameFid = w.newfid() == w.fid();
            // The spec forbids walking from an open fid, but diod and QEMU allow it to a new fid and diodls relies
            // on it (it stats each entry of the directory it lists). In place it would close the open file: EBADF.
            Node start = sameFid ? fid.unopened() : fid.node();
            if (!sameFid) {
                fids.checkFree(w.newfid());
            }
            List<String> names = w.wnames();
            if (names.size() > Message.MAXWELEM) {
                throw new ErrnoException(Errno.EINVAL, "more than 16 names in a walk");
            }
            List<Qid> qids = new ArrayList<>(names.size());
            Node reached = names.isEmpty() ? start.duplicate() : null;
            try {
                for (int i = 0; i < names.size(); i++) {
                    Node next;
                    try {
                        next = (reached == null ? start : reached).walk(Names.component(names.get(i)));
                    } catch (ErrnoException e) {
                        if (i == 0 || Thread.currentThread().isInterrupted()) {
                            throw e;
                        }
                        return new Rwalk(qids);
                    }
                    if (reached != null) {
                        reached.close();
                    }
                    reached = next;
                    qids.add(fid.export().qids().qid(next.fileId()));
                }
                Node result = reached;
                reached = null;
                if (sameFid) {
                    replace(fids, fid, new FidState.Walked(result));
                } else {
                    add(fids, w.newfid(), fid.export(), new FidState.Walked(result));
                }
                return new Rwalk(qids);
            } finally {
                if (reached != null) {
                    reached.close();
                }
            }
        }
    }

    Rclunk clunk(Tclunk c) throws ErrnoException {
        try (Fid fid = session.fids().remove(c.fid())) {
            if (fid.state() instanceof XattrWrite x) {
                x.commit();
            }
        }
        return new Rclunk();
    }

    /** Tremove removes the file and clunks the fid, even when the removal fails. */
    Rremove remove(Tremove r) throws ErrnoException {
        try (Fid fid = session.fids().remove(r.fid())) {
            fid.node().remove();
        }
        return new Rremove();
    }

    Rgetattr getattr(Tgetattr g) throws ErrnoException {
        try (Fid fid = session.fids().use(g.fid())) {
            Attr a = fid.node().getattr();
            Qid qid = fid.export().qids().qid(a.fileId());
            return new Rgetattr(g.requestMask() & available(a), qid, a.mode(), a.uid(), a.gid(), a.nlink(), a.rdev(),
                    a.size(), a.blksize(), a.blocks(), a.atimeSec(), a.atimeNsec(), a.mtimeSec(), a.mtimeNsec(),
                    a.ctimeSec(), a.ctimeNsec(), a.btimeSec(), a.btimeNsec(), a.gen(), a.dataVersion());
        }
    }

    /** The Rgetattr valid bits an Attr fills: all of stat(2), and the extras a backend gave (non-zero). */
    private static long available(Attr a) {
        long valid = Dotl.GETATTR_BASIC;
        if (a.btimeSec() != 0 || a.btimeNsec() != 0) {
            valid |= Dotl.GETATTR_BTIME;
        }
        if (a.gen() != 0) {
            valid |= Dotl.GETATTR_GEN;
        }
        if (a.dataVersion() != 0) {
            valid |= Dotl.GETATTR_DATA_VERSION;
        }
        return valid;
    }

    Rsetattr setattr(Tsetattr s) throws ErrnoException {
        try (Fid fid = session.fids().use(s.fid())) {
            fid.node().setattr(new SetAttr(s.valid(), s.mode(), s.uid(), s.gid(), s.size(), s.atimeSec(),
                    s.atimeNsec(), s.mtimeSec(), s.mtimeNsec()));
            return new Rsetattr();
        }
    }

    Rstatfs statfs(Tstatfs s) throws ErrnoException {
        try (Fid fid = session.fids().use(s.fid())) {
            StatFs f = fid.node().statfs();
            return new Rstatfs(f.type(), f.bsize(), f.blocks(), f.bfree(), f.bavail(), f.files(), f.ffree(),
                    f.fsid(), f.namelen());
        }
    }

    Rreadlink readlink(Treadlink r) throws ErrnoException {
        try (Fid fid = session.fids().use(r.fid())) {
            return new Rreadlink(fid.node().readlink());
        }
    }

    /** Makes the export's root {@code node} fid {@code number} and answers its qid; closes the node if that fails. */
    static Qid install(FidTable fids, int number, Export export, Node node) throws ErrnoException {
        try {
            Qid qid = export.qids().root(node.fileId());
            fids.add(number, export, new FidState.Walked(node));
            return qid;
        } catch (ErrnoException | RuntimeException e) {
            node.close();
            throw e;
        }
    }

    static void add(FidTable fids, int number, Export export, FidState state) throws ErrnoException {
        try {
            fids.add(number, export, state);
        } catch (ErrnoException | RuntimeException e) {
            state.close();
            throw e;
        }
    }

    static void replace(FidTable fids, Fid old, FidState state) throws ErrnoException {
        try {
            fids.replace(old, state);
        } catch (ErrnoException | RuntimeException e) {
            state.close();
            throw e;
        }
    }
}
