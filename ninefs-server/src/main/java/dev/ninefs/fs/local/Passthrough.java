// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.FileId;
import dev.ninefs.posix.Fd;
import dev.ninefs.posix.Posix;
import dev.ninefs.protocol.ErrnoException;
import java.util.List;

/**
 * security_model=passthrough (and, {@code lenient}, none): host files carry the client's uid, gid and mode. A new
 * file is chowned to the attaching uid and the requested gid and then chmodded, so the client's mode holds despite
 * the server's umask (each only when the new file differs); under none a failure of either is ignored, as for a
 * server that is not root.
 */
final class Passthrough extends Model {
    private final boolean lenient;

    Passthrough(boolean lenient) {
        this.lenient = lenient;
    }

    @Override
    Attr clientAttr(LocalNode node, Attr host) {
        return host;
    }

    @Override
    int hostFileMode(int mode) {
        return mode & 07777;
    }

    @Override
    int hostDirMode(int mode) {
        return mode & 07777;
    }

    @Override
    void makeSymlink(int dirfd, String name, String target) throws ErrnoException {
        Posix.symlinkat(target, dirfd, name);
    }

    @Override
    void makeNode(int dirfd, String name, int mode, long rdev) throws ErrnoException {
        Posix.mknodat(dirfd, name, mode, rdev < 0 ? 0 : rdev);
    }

    /**
     * Changes only what the new file does not have yet: as root the file is born with the server's uid and its
     * gid or the directory's, usually what the client asked, and with the client's mode less the umask, usually
     * the mode asked. A chown of a non-directory may clear its set-id bits, so after a chown they are set again.
     */
    @Override
    Attr created(LocalNode node, Attr host, int mode, int uid, int gid, long rdev) throws ErrnoException {
        int newUid = uid == -1 ? host.uid() : uid, newGid = gid == -1 ? host.gid() : gid;
        int perms = host.mode() & 07777;
        boolean chowned = false;
        if (newUid != host.uid() || newGid != host.gid()) {
            chowned = apply(() -> chownThrough(node, uid, gid));
            if (!chowned) {
                newUid = host.uid();
                newGid = host.gid();
            }
        }
        boolean idBitsAtRisk = chowned && (perms & 06000) != 0;
        if ((mode & FileId.S_IFMT) != FileId.S_IFLNK && (idBitsAtRisk || perms != (mode & 07777))) {
            if (apply(() -> chmodThrough(node, mode))) {
                perms = mode & 07777;
            }
        }
        return new Attr(host.dev(), host.ino(), (host.mode() & FileId.S_IFMT) | perms, newUid, newGid, host.nlink(),
                host.rdev(), host.size(), host.blksize(), host.blocks(), host.atimeSec(), host.atimeNsec(),
                host.mtimeSec(), host.mtimeNsec(), host.ctimeSec(), host.ctimeNsec(), host.btimeSec(),
                host.btimeNsec(), host.gen(), host.dataVersion());
    }

    @Override
    void chmod(LocalNode node, int mode) throws ErrnoException {
        apply(() -> chmodThrough(node, mode));
    }

    @Override
    void chown(LocalNode node, int uid, int gid) throws ErrnoException {
        apply(() -> chownThrough(node, uid, gid));
    }

    /** Runs {@code change}; whether it was made (under none a failure is ignored, otherwise thrown). */
    private boolean apply(Change change) throws ErrnoException {
        try {
            change.run();
            return true;
        } catch (ErrnoException e) {
            if (!lenient) {
                throw e;
            }
            return false;
        }
    }

    private interface Change {
        void run() throws ErrnoException;
    }

    private static void chmodThrough(LocalNode node, int mode) throws ErrnoException {
        try (Fd.Use fd = node.fd().use()) {
            Posix.fchmod(fd.fd(), mode & 07777, node.hostType() == FileId.S_IFLNK);
        }
    }

    private static void chownThrough(LocalNode node, int uid, int gid) throws ErrnoException {
        try (Fd.Use fd = node.fd().use()) {
            Posix.fchown(fd.fd(), uid, gid);
        }
    }

    @Override
    String xattrName(String name, boolean write) {
        return name; // every namespace goes to the host, which decides (trusted.* needs root)
    }

    @Override
    List<String> visibleXattrs(List<String> host) {
        return host;
    }
}
