// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.ByteBuffer;

/** A file opened by Tlopen or Tlcreate. */
public interface OpenFile extends AutoCloseable {

    /**
     * Reads at {@code offset} into {@code dst} (from its position, at most its remaining bytes), advancing its
     * position. Returns the bytes read, 0 at end of file. EISDIR for a directory, EBADF if not open for reading.
     */
    int read(long offset, ByteBuffer dst) throws ErrnoException;

    /**
     * The bytes {@link #read} would return for {@code count} bytes at {@code offset}, as a {@link FileRegion} the
     * server sends from the file's descriptor without copying them (sendfile(2)), or null when this file cannot
     * offer one (no descriptor, not a regular file, not open for reading, nothing at {@code offset}): the server
     * then calls {@link #read}, which also reports the errors. The region's count is what a read would return now:
     * {@code count} cut at the end of the file. May block for one fstat(2). The caller closes the region.
     *
     * <p>A decorator that changes what {@link #read} returns must return null here.
     */
    default FileRegion region(long offset, int count) throws ErrnoException {
        return null;
    }

    /**
     * Writes {@code src}'s remaining bytes at {@code offset} (at the end of file when opened with O_APPEND),
     * advancing its position. Returns the bytes written. EBADF if not open for writing, ENOSPC, EFBIG. {@code src}
     * is valid during the call only (it may be pooled memory, reused once the call returns): a backend that needs
     * the bytes later copies them.
     */
    int write(long offset, ByteBuffer src) throws ErrnoException;

    /**
     * The file's descriptor, for a caller that moves the bytes of a write into it itself (the server splices a
     * large Twrite's data from its socket into it, with no copy through memory), or null when this file cannot
     * offer one (no descriptor, not a regular file, not open for writing, O_APPEND, a backend that does more on a
     * write than pwrite(2)): the caller then calls {@link #write}, which also reports the errors. The caller writes
     * at explicit offsets, so that what it writes means what {@link #write} at that offset would have, and closes
     * the target. May block for one fcntl(2).
     *
     * <p>A decorator that changes what {@link #write} does must return null here.
     */
    default WriteTarget writeTarget() throws ErrnoException {
        return null;
    }

    /**
     * Lists the directory from {@code offset} (0 for the start, otherwise the {@link DirEntry#offset} of the last
     * entry taken) into {@code sink} until it is full or the listing ends. ENOTDIR if this is not a directory.
     */
    void readdir(long offset, DirSink sink) throws ErrnoException;

    /** fsync(2), or fdatasync(2) when {@code dataOnly}. */
    void fsync(boolean dataOnly) throws ErrnoException;

    /** Takes or releases a lock without waiting: BLOCKED when another owner holds a conflicting one. */
    default LockStatus lock(LockRequest request) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /**
     * The first lock of another owner that conflicts with {@code request}, or {@code request} with type
     * LOCK_TYPE_UNLCK when none does.
     */
    default LockRequest getlock(LockRequest request) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /** Closes the file, releasing the locks taken through it. Never fails; called exactly once. */
    @Override
    void close();
}
