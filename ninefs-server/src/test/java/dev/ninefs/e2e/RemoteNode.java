// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.e2e;

import dev.ninefs.client.AttrUpdate;
import dev.ninefs.client.FileAttr;
import dev.ninefs.client.FsStat;
import dev.ninefs.client.RemoteFile;
import dev.ninefs.fs.Attr;
import dev.ninefs.fs.FileId;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.fs.SetAttr;
import dev.ninefs.fs.StatFs;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Qid;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** A {@link Node} that is a fid on a 9P connection. */
final class RemoteNode implements Node {
    private final ClientBackedFileSystem fs;
    final RemoteFile file;

    RemoteNode(ClientBackedFileSystem fs, RemoteFile file) {
        this.fs = fs;
        this.file = file;
    }

    /** Runs a client call, turning transport failures into EIO as a backend would report them. */
    interface Call<T> {
        T run() throws IOException;
    }

    static <T> T wire(Call<T> call) throws ErrnoException {
        try {
            return call.run();
        } catch (ErrnoException e) {
            throw new ErrnoException(e.code(), e.getMessage());
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO, e.getMessage(), e);
        }
    }

    @Override
    public FileId fileId() {
        try {
            return getattr().fileId();
        } catch (ErrnoException e) {
            Qid q = file.qid();
            int mode = q.isDirectory() ? FileId.S_IFDIR : q.isSymlink() ? FileId.S_IFLNK : FileId.S_IFREG;
            return new FileId(0, q.path(), mode, Integer.toUnsignedLong(q.version()));
        }
    }

    @Override
    public Node walk(String name) throws ErrnoException {
        return new RemoteNode(fs, wire(() -> file.walk(List.of(name))));
    }

    @Override
    public Node duplicate() throws ErrnoException {
        return new RemoteNode(fs, wire(file::duplicate));
    }

    @Override
    public Attr getattr() throws ErrnoException {
        FileAttr a = wire(() -> file.getattr(Dotl.GETATTR_ALL));
        Instant bt = a.btime() == null ? Instant.EPOCH : a.btime();
        // 9P carries no device number: every file of one export reports the same one.
        return new Attr(0, a.qid().path(), a.mode(), (int) a.uid(), (int) a.gid(), a.nlink(), a.rdev(), a.size(),
                a.blksize(), a.blocks(), a.atime().getEpochSecond(), a.atime().getNano(), a.mtime().getEpochSecond(),
                a.mtime().getNano(), a.ctime().getEpochSecond(), a.ctime().getNano(), bt.getEpochSecond(),
                bt.getNano(), a.gen(), a.dataVersion());
    }

    @Override
    public void setattr(SetAttr c) throws ErrnoException {
        Instant atime = c.has(Dotl.SETATTR_ATIME_SET) ? Instant.ofEpochSecond(c.atimeSec(), c.atimeNsec()) : null;
        Instant mtime = c.has(Dotl.SETATTR_MTIME_SET) ? Instant.ofEpochSecond(c.mtimeSec(), c.mtimeNsec()) : null;
        AttrUpdate update = new AttrUpdate(c.valid(), c.mode(), c.uid(), c.gid(), c.size(), atime, mtime);
        wire(() -> {
            file.setattr(update);
            return null;
        });
    }

    @Override
    public OpenFile open(int flags) throws ErrnoException {
        RemoteFile opened = wire(file::duplicate);
        try {
            wire(() -> opened.open(flags));
        } catch (ErrnoException e) {
            closeQuietly(opened);
            throw e;
        }
        return new RemoteOpenFile(opened);
    }

    @Override
    public Created create(String name, int flags, int mode, int gid) throws ErrnoException {
        RemoteFile opened = wire(() -> file.create(name, flags, mode, gid));
        try {
            return new Created(walk(name), new RemoteOpenFile(opened));
        } catch (ErrnoException e) {
            closeQuietly(opened);
            throw e;
        }
    }

    @Override
    public Node mkdir(String name, int mode, int gid) throws ErrnoException {
        wire(() -> file.mkdir(name, mode, gid));
        return walk(name);
    }

    @Override
    public Node symlink(String name, String target, int gid) throws ErrnoException {
        wire(() -> file.symlink(name, target, gid));
        return walk(name);
    }

    @Override
    public Node mknod(String name, int mode, int major, int minor, int gid) throws ErrnoException {
        wire(() -> file.mknod(name, mode, major, minor, gid));
        return walk(name);
    }

    @Override
    public void link(String name, Node target) throws ErrnoException {
        RemoteFile other = sameConnection(target);
        wire(() -> {
            file.link(other, name);
            return null;
        });
    }

    @Override
    public void renameAt(String oldName, Node newDir, String newName) throws ErrnoException {
        RemoteFile dir = sameConnection(newDir);
        wire(() -> {
            file.renameat(oldName, dir, newName);
            return null;
        });
    }

    @Override
    public void rename(Node newDir, String newName) throws ErrnoException {
        RemoteFile dir = sameConnection(newDir);
        wire(() -> {
            file.rename(dir, newName);
            return null;
        });
    }

    @Override
    public void unlinkAt(String name, int flags) throws ErrnoException {
        wire(() -> {
            file.unlinkat(name, flags);
            return null;
        });
    }

    @Override
    public void remove() throws ErrnoException {
        RemoteFile doomed = wire(file::duplicate);
        wire(() -> {
            doomed.remove();
            return null;
        });
    }

    @Override
    public String readlink() throws ErrnoException {
        return wire(file::readlink);
    }

    @Override
    public StatFs statfs() throws ErrnoException {
        FsStat s = wire(file::statfs);
        return new StatFs(s.type(), s.bsize(), s.blocks(), s.bfree(), s.bavail(), s.files(), s.ffree(), s.fsid(),
                s.namelen());
    }

    @Override
    public byte[] getxattr(String name) throws ErrnoException {
        return wire(() -> file.getxattr(name));
    }

    @Override
    public List<String> listxattr() throws ErrnoException {
        return wire(file::listxattr);
    }

    @Override
    public void setxattr(String name, byte[] value, int flags) throws ErrnoException {
        wire(() -> {
            file.setxattr(name, value, flags);
            return null;
        });
    }

    @Override
    public void removexattr(String name) throws ErrnoException {
        wire(() -> {
            file.removexattr(name);
            return null;
        });
    }

    @Override
    public void close() {
        closeQuietly(file);
    }

    /** A fid of the same connection: a fid means nothing on another one, so anything else is another device. */
    private RemoteFile sameConnection(Node other) throws ErrnoException {
        if (other instanceof RemoteNode r && r.file.connection() == file.connection()) {
            return r.file;
        }
        throw new ErrnoException(Errno.EXDEV, "not on this connection");
    }

    static void closeQuietly(RemoteFile f) {
        try {
            f.close();
        } catch (IOException ignored) {
            // Clunk failures change nothing for the caller: the fid is gone either way.
        }
    }
}
