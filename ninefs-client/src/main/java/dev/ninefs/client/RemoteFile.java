// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.protocol.Dirent;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.Qid;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A file on the server, held by a fid: what {@link Connection#attach} returns and what walking from it gives.
 * Closing it clunks the fid, exactly once; the fid number is then reused.
 *
 * <p>Operations named as in 9P2000.L. Those that make a new entry (mkdir, create, symlink, mknod, link, renameat,
 * unlinkat) are called on the directory. Blocking calls throw {@link ErrnoException} with the server's exact errno,
 * prefixed with this file's path; {@code ...Async} calls return a future that fails the same way (without the
 * path); cancelling it flushes the request (except for {@link #walkAsync}, which may take several). An async
 * future completes on a fresh virtual thread, so its dependent stages may block or make further calls. An async
 * call blocks its caller only while all of the connection's tags are in use.
 *
 * <p>Thread-safe, like the connection: many threads may read and write one open file at different offsets.
 */
public final class RemoteFile implements AutoCloseable {
    private final Connection conn;
    private final int fid;
    private final String path;
    private final int gid;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Qid qid;
    private volatile int iounit;

    RemoteFile(Connection conn, int fid, Qid qid, String path, int gid) {
        this.conn = conn;
        this.fid = fid;
        this.qid = qid;
        this.path = path;
        this.gid = gid;
    }

    public Connection connection() {
        return conn;
    }

    public int fid() {
        return fid;
    }

    /** The qid from the walk, attach, open or create that made this handle. */
    public Qid qid() {
        return qid;
    }

    /** The path walked from the attach root, for messages ("/" for the root). */
    public String path() {
        return path;
    }

    /** The iounit from open or create: 0 until then, or when the server leaves it to msize. */
    public int iounit() {
        return iounit;
    }

    /** The gid files created through this handle get when none is given. */
    public int defaultGid() {
        return gid;
    }

    public boolean isClosed() {
        return closed.get();
    }

    // ---- walking --------------------------------------------------------------------------------------------

    /**
     * Walks a relative path such as {@code "a/b/c"} (empty and "." components are skipped; ".." is sent as is).
     * Fails with ENOENT naming the first element that is missing.
     */
    public RemoteFile walk(String relativePath) throws IOException {
        return walk(Walker.split(relativePath));
    }

    /** Walks the names in order, in as many Twalks of at most 16 names as needed; no names clones this handle. */
    public RemoteFile walk(List<String> names) throws IOException {
        return new Walker(this).walk(names);
    }

    /** A second handle on the same file (a walk of no names). */
    public RemoteFile duplicate() throws IOException {
        return walk(List.of());
    }

    public CompletableFuture<RemoteFile> walkAsync(List<String> names) {
        return new Walker(this).walkAsync(names);
    }

    /** Walks to {@code relativePath} and opens it with Linux open {@code flags} ({@link Dotl#O_RDONLY}...). */
    public RemoteFile open(String relativePath, int flags) throws IOException {
        RemoteFile file = walk(relativePath);
        try {
            return file.open(flags);
        } catch (IOException | RuntimeException e) {
            file.closeQuietly(e);
            throw e;
        }
    }

    // ---- open and create ------------------------------------------------------------------------------------

    /** Opens this handle for I/O (Tlopen) with Linux open {@code flags}; returns this handle. */
    public RemoteFile open(int flags) throws IOException {
        Message.Rlopen r = call(new Message.Tlopen(fid, flags), Message.Rlopen.class);
        qid = r.qid();
        iounit = r.iounit();
        return this;
    }

    /** Creates {@code name} in this directory with the default gid; see {@link #create(String, int, int, int)}. */
    public RemoteFile create(String name, int flags, int mode) throws IOException {
        return create(name, flags, mode, gid);
    }

    /**
     * Creates and opens the file {@code name} in this directory (Tlcreate on a clone, so this handle stays on the
     * directory) and returns the new, open file.
     */
    public RemoteFile create(String name, int flags, int mode, int gid) throws IOException {
        RemoteFile file = duplicate();
        try {
            Message.Tlcreate request = new Message.Tlcreate(file.fid, name, flags, mode, gid);
            Message.Rlcreate r = (Message.Rlcreate) conn.sendAwaited(request, false).await();
            RemoteFile created = new RemoteFile(conn, file.fid, r.qid(), child(name), this.gid);
            created.iounit = r.iounit();
            file.closed.set(true); // the fid lives on in the new handle
            return created;
        } catch (ErrnoException e) {
            ErrnoException named = withPath(e, child(name));
            file.closeQuietly(named);
            throw named;
        } catch (IOException | RuntimeException e) {
            file.closeQuietly(e);
            throw e;
        }
    }

    // ---- data -----------------------------------------------------------------------------------------------

    /** The largest count one Tread on this file asks for. */
    public int maxReadSize() {
        int io = iounit;
        return io > 0 ? Math.min(io, conn.maxReadSize()) : conn.maxReadSize();
    }

    /** The most data one Twrite on this file carries. */
    public int maxWriteSize() {
        int io = iounit;
        return io > 0 ? Math.min(io, conn.maxWriteSize()) : conn.maxWriteSize();
    }

    /**
     * One Tread of at most {@code count} bytes (clamped to {@link #maxReadSize}). The buffer is the reply's own
     * memory (position to limit); empty at end of file.
     */
    public CompletableFuture<ByteBuffer> readAsync(long offset, int count) {
        return sendRead(offset, count).map(r -> ((Message.Rread) r).data());
    }

    CallFuture sendRead(long offset, int count) {
        return conn.send(new Message.Tread(fid, offset, Math.min(count, maxReadSize())));
    }

    /** A Tread of a transfer window; the caller copies the reply out, then recycles it ({@link CallFuture#recycle}). */
    CallFuture sendTransferRead(long offset, int count) {
        return conn.sendInTransfer(new Message.Tread(fid, offset, Math.min(count, maxReadSize())), true);
    }

    /** A Tread whose caller awaits the reply at once and copies it out, then recycles it. */
    CallFuture sendAwaitedRead(long offset, int count) {
        return conn.sendAwaited(new Message.Tread(fid, offset, Math.min(count, maxReadSize())), true);
    }

    /**
     * One Tread into {@code dst} (as much as fits, up to {@link #maxReadSize}), which advances by the count;
     * returns the count, 0 at EOF. A direct {@code dst} may receive a large reply straight from the socket.
     */
    public int read(long offset, ByteBuffer dst) throws IOException {
        try {
            return Transfers.read(this, offset, dst);
        } catch (ErrnoException e) {
            throw withPath(e, path);
        }
    }

    /** Reads until {@code len} bytes or end of file, several Treads in flight; returns the bytes read. */
    public int readFully(long offset, byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        return readFully(offset, ByteBuffer.wrap(b, off, len));
    }

    /**
     * Reads until {@code dst} is full or end of file, several Treads in flight; {@code dst} advances by the bytes
     * read, which are returned. A direct {@code dst} receives large replies straight from the socket whenever
     * this thread reads them itself (see {@link Landing}); otherwise they are copied in once. Page-aligned is best:
     * how fast the kernel copies into {@code dst} depends on its alignment (on one AMD host, 2-3x the CPU time at
     * page + 16, where a large {@code allocateDirect} puts it).
     */
    public int readFully(long offset, ByteBuffer dst) throws IOException {
        try {
            return Transfers.readFully(this, offset, dst);
        } catch (ErrnoException e) {
            throw withPath(e, path);
        }
    }

    /**
     * One Twrite of at most {@link #maxWriteSize} bytes from {@code src}'s position; {@code src} is copied before
     * this returns and is not moved. The future holds the count the server wrote.
     */
    public CompletableFuture<Integer> writeAsync(long offset, ByteBuffer src) {
        return sendWrite(offset, src).map(r -> ((Message.Rwrite) r).count());
    }

    CallFuture sendWrite(long offset, ByteBuffer src) {
        return conn.send(twrite(offset, src));
    }

    /** A Twrite of a transfer window, whose caller blocks for the reply later (see Connection#sendInTransfer). */
    CallFuture sendTransferWrite(long offset, ByteBuffer src) {
        return conn.sendInTransfer(twrite(offset, src), false);
    }

    /** Replies of a transfer window are due that nobody awaits. */
    void transferAbandoned() {
        conn.replyDue();
    }

    private Message.Twrite twrite(long offset, ByteBuffer src) {
        return new Message.Twrite(fid, offset, src.slice(src.position(), Math.min(src.remaining(), maxWriteSize())));
    }

    /** One Twrite from {@code src}, which advances by the count written; returns the count. */
    public int write(long offset, ByteBuffer src) throws IOException {
        int n = ((Message.Rwrite) await(conn.sendAwaited(twrite(offset, src), false))).count();
        if (n < 0 || n > src.remaining()) {
            throw new ErrnoException(Errno.EIO, path + ": server says it wrote " + n + " bytes of "
                    + src.remaining());
        }
        src.position(src.position() + n);
        return n;
    }

    /** Writes all of {@code src} (which ends up at its limit), several Twrites in flight. */
    public void writeFully(long offset, ByteBuffer src) throws IOException {
        try {
            Transfers.writeFully(this, offset, src);
        } catch (ErrnoException e) {
            throw withPath(e, path);
        }
    }

    public void writeFully(long offset, byte[] b, int off, int len) throws IOException {
        writeFully(offset, ByteBuffer.wrap(b, off, len));
    }

    /** A stream reading this open file from {@code offset}, with read-ahead. Closing it leaves the file open. */
    public InputStream newInputStream(long offset) {
        return new RemoteInputStream(this, offset);
    }

    /** A stream writing this open file from {@code offset}, writes pipelined. Closing it leaves the file open. */
    public OutputStream newOutputStream(long offset) {
        return new RemoteOutputStream(this, offset);
    }

    /** Tfsync; {@code datasync} skips metadata that reading the data back does not need. */
    public void fsync(boolean datasync) throws IOException {
        call(new Message.Tfsync(fid, datasync ? 1 : 0), Message.Rfsync.class);
    }

    // ---- attributes -----------------------------------------------------------------------------------------

    /** All attributes the server has ({@link Dotl#GETATTR_ALL}). */
    public FileAttr getattr() throws IOException {
        return getattr(Dotl.GETATTR_ALL);
    }

    public FileAttr getattr(long requestMask) throws IOException {
        return FileAttr.of(call(new Message.Tgetattr(fid, requestMask), Message.Rgetattr.class));
    }

    public CompletableFuture<FileAttr> getattrAsync(long requestMask) {
        return conn.send(new Message.Tgetattr(fid, requestMask)).map(r -> FileAttr.of((Message.Rgetattr) r));
    }

    public void setattr(AttrUpdate update) throws IOException {
        call(update.toRequest(fid), Message.Rsetattr.class);
    }

    public void chmod(int mode) throws IOException {
        setattr(AttrUpdate.mode(mode));
    }

    /** -1 leaves that id alone. */
    public void chown(int uid, int gid) throws IOException {
        setattr(AttrUpdate.owner(uid, gid));
    }

    public void truncate(long size) throws IOException {
        setattr(AttrUpdate.size(size));
    }

    /** Sets the times to the nanosecond; null leaves one alone. */
    public void setTimes(java.time.Instant atime, java.time.Instant mtime) throws IOException {
        setattr(AttrUpdate.times(atime, mtime));
    }

    public FsStat statfs() throws IOException {
        return FsStat.of(call(new Message.Tstatfs(fid), Message.Rstatfs.class));
    }

    // ---- directories ----------------------------------------------------------------------------------------

    /** One Treaddir on this open directory: the entries after {@code offset} (0 from the start), empty at the end. */
    public List<Dirent> readdir(long offset, int count) throws IOException {
        return call(readdirRequest(offset, count), Message.Rreaddir.class).entries();
    }

    public CompletableFuture<List<Dirent>> readdirAsync(long offset, int count) {
        return conn.send(readdirRequest(offset, count)).map(r -> ((Message.Rreaddir) r).entries());
    }

    private Message.Treaddir readdirRequest(long offset, int count) {
        return new Message.Treaddir(fid, offset, Math.min(count, maxReadSize()));
    }

    /**
     * Every entry of this open directory, fetched lazily a Treaddir at a time, each continuing from the last
     * entry's offset. I/O errors surface as {@link java.io.UncheckedIOException}.
     */
    public Stream<Dirent> entries() {
        return DirIterator.stream(this);
    }

    /** Opens a second handle on this directory, reads all its entries but "." and "..", and clunks it. */
    public List<Dirent> list() throws IOException {
        try (RemoteFile dir = duplicate()) {
            dir.open(Dotl.O_RDONLY | Dotl.O_DIRECTORY);
            List<Dirent> all = new ArrayList<>();
            DirIterator.forEach(dir, e -> {
                if (!e.name().equals(".") && !e.name().equals("..")) {
                    all.add(e);
                }
            });
            return all;
        }
    }

    public Qid mkdir(String name, int mode) throws IOException {
        return mkdir(name, mode, gid);
    }

    public Qid mkdir(String name, int mode, int gid) throws IOException {
        return call(new Message.Tmkdir(fid, name, mode, gid), Message.Rmkdir.class).qid();
    }

    public Qid symlink(String name, String target) throws IOException {
        return symlink(name, target, gid);
    }

    public Qid symlink(String name, String target, int gid) throws IOException {
        return call(new Message.Tsymlink(fid, name, target, gid), Message.Rsymlink.class).qid();
    }

    /** Makes a device, fifo or socket node; {@code mode} holds the type bits ({@link FileAttr#S_IFIFO}...). */
    public Qid mknod(String name, int mode, int major, int minor) throws IOException {
        return mknod(name, mode, major, minor, gid);
    }

    public Qid mknod(String name, int mode, int major, int minor, int gid) throws IOException {
        return call(new Message.Tmknod(fid, name, mode, major, minor, gid), Message.Rmknod.class).qid();
    }

    /** Makes {@code name} in this directory a hard link to {@code target}. */
    public void link(RemoteFile target, String name) throws IOException {
        call(new Message.Tlink(fid, target.fid, name), Message.Rlink.class);
    }

    public String readlink() throws IOException {
        return call(new Message.Treadlink(fid), Message.Rreadlink.class).target();
    }

    /** Moves this file to {@code name} in {@code newDir} (Trename: this fid keeps naming the file). */
    public void rename(RemoteFile newDir, String name) throws IOException {
        call(new Message.Trename(fid, newDir.fid, name), Message.Rrename.class);
    }

    /** Moves {@code oldName} of this directory to {@code newName} in {@code newDir}. */
    public void renameat(String oldName, RemoteFile newDir, String newName) throws IOException {
        call(new Message.Trenameat(fid, oldName, newDir.fid, newName), Message.Rrenameat.class);
    }

    /** Removes {@code name} from this directory; {@link Dotl#AT_REMOVEDIR} for a directory. */
    public void unlinkat(String name, int flags) throws IOException {
        call(new Message.Tunlinkat(fid, name, flags), Message.Runlinkat.class);
    }

    // ---- locks and xattrs -----------------------------------------------------------------------------------

    /** Tlock on this open file; {@code flags} may hold {@link Dotl#LOCK_FLAGS_BLOCK}. */
    public LockStatus lock(FileLock lock, int flags) throws IOException {
        Message.Rlock r = call(new Message.Tlock(fid, lock.type(), flags, lock.start(), lock.length(), lock.procId(),
                lock.clientId()), Message.Rlock.class);
        return LockStatus.of(r.status());
    }

    /** Tgetlock: the first lock that conflicts with {@code lock}, or one of type UNLCK when none does. */
    public FileLock getlock(FileLock lock) throws IOException {
        Message.Rgetlock r = call(new Message.Tgetlock(fid, lock.type(), lock.start(), lock.length(), lock.procId(),
                lock.clientId()), Message.Rgetlock.class);
        return new FileLock(r.lockType(), r.start(), r.length(), r.procId(), r.clientId());
    }

    /** The value of extended attribute {@code name}; ENODATA if there is none. */
    public byte[] getxattr(String name) throws IOException {
        return Xattrs.get(this, name);
    }

    public List<String> listxattr() throws IOException {
        return Xattrs.list(this);
    }

    /** {@code flags}: 0, {@link Dotl#XATTR_CREATE} or {@link Dotl#XATTR_REPLACE}. */
    public void setxattr(String name, byte[] value, int flags) throws IOException {
        Xattrs.set(this, name, value, flags);
    }

    public void removexattr(String name) throws IOException {
        Xattrs.remove(this, name);
    }

    // ---- ending ---------------------------------------------------------------------------------------------

    /** Tremove: removes the file and clunks this handle, even when the removal fails. */
    public void remove() throws IOException {
        if (closed.compareAndSet(false, true)) {
            call(new Message.Tremove(fid), Message.Rremove.class);
        } else {
            throw new ErrnoException(Errno.EBADF, path + ": handle already closed");
        }
    }

    /**
     * Clunks the fid, once; later calls do nothing, and so does closing after the connection closed (the server
     * forgot the fid with it). Throws what Rclunk says, which is how a setxattr reports its outcome.
     */
    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true) && conn.isOpen()) {
            call(new Message.Tclunk(fid), Message.Rclunk.class);
        }
    }

    void closeQuietly(Throwable primary) {
        try {
            close();
        } catch (IOException | RuntimeException e) {
            primary.addSuppressed(e);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    RemoteFile adopt(int newfid, Qid newQid, String newPath) {
        return new RemoteFile(conn, newfid, newQid, newPath, gid);
    }

    String child(String name) {
        return path.endsWith("/") ? path + name : path + "/" + name;
    }

    <R extends Message.Response> R call(Message.Request request, Class<R> type) throws IOException {
        return type.cast(await(conn.sendAwaited(request, false)));
    }

    Message.Response await(CallFuture future) throws IOException {
        try {
            return future.await();
        } catch (ErrnoException e) {
            throw withPath(e, path);
        }
    }

    static ErrnoException withPath(ErrnoException e, String path) {
        return new ErrnoException(e.code(), path + ": " + e.getMessage());
    }

    @Override
    public String toString() {
        return "RemoteFile[" + path + " fid " + fid + " " + conn.peer() + "]";
    }
}
