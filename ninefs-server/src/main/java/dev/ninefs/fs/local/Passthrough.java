// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.FileId;
import dev.ninefs.fs.local.posix.Fd;
import dev.ninefs.fs.local.posix.Posix;
import dev.ninefs.protocol.ErrnoException;
import java.util.List;

/**
 * security_model=passthrough (and, {@code lenient}, none): host files carry the client's uid, gid and mode. A new
 * file is chowned to the attaching uid and the requested gid and then chmodded, so the client's mode holds despite
 * the server's umask; under none a failure of either is ignored, as for a server that is not root.
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

    @Override
    void created(LocalNode node, int mode, int uid, int gid, long rdev) throws ErrnoException {
        if (uid != -1 || gid != -1) {
            chown(node, uid, gid);
        }
        if ((mode & FileId.S_IFMT) != FileId.S_IFLNK) {
            chmod(node, mode);
        }
    }

    @Override
    void chmod(LocalNode node, int mode) throws ErrnoException {
        try (Fd.Use fd = node.fd().use()) {
            Posix.fchmod(fd.fd(), mode & 07777, node.hostType() == FileId.S_IFLNK);
        } catch (ErrnoException e) {
            if (!lenient) {
                throw e;
            }
        }
    }

    @Override
    void chown(LocalNode node, int uid, int gid) throws ErrnoException {
        try (Fd.Use fd = node.fd().use()) {
            Posix.fchown(fd.fd(), uid, gid);
        } catch (ErrnoException e) {
            if (!lenient) {
                throw e;
            }
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
