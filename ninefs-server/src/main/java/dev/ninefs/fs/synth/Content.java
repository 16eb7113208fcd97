// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import dev.ninefs.protocol.ErrnoException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes of a regular file, in chunks of 64 KiB found through a two-level table, so that a file of hundreds of
 * MiB costs no copying as it grows and a write far past the end allocates one chunk, not the gap (holes read as
 * zeros). A chunk starts small and doubles up to 64 KiB, so a small file holds little heap.
 *
 * <p>Not thread-safe: the owning file's read-write lock guards it. {@link #size()} and {@link #allocated()} may be
 * read without that lock (stat must not wait for a long write).
 */
final class Content {
    static final int CHUNK_SHIFT = 16;
    static final int CHUNK = 1 << CHUNK_SHIFT;
    private static final int PAGE_SHIFT = 10;
    private static final int PAGE = 1 << PAGE_SHIFT;
    private static final int MIN_CHUNK = 64;
    private static final byte[] ZEROS = new byte[CHUNK];

    private final Space space;
    private byte[][][] pages = new byte[1][][];
    private volatile long size;
    private volatile long allocated;

    Content(Space space) {
        this.space = space;
    }

    long size() {
        return size;
    }

    /** The bytes reserved from the file system's space for this content. */
    long allocated() {
        return allocated;
    }

    /** Reads from {@code offset} (not negative) into {@code dst}; returns the count, 0 at or past the end. */
    int read(long offset, ByteBuffer dst) {
        long end = Math.min(size, offset + dst.remaining());
        long pos = offset;
        while (pos < end) {
            long index = pos >>> CHUNK_SHIFT;
            int in = (int) (pos & (CHUNK - 1));
            int n = (int) Math.min(CHUNK - in, end - pos);
            byte[] chunk = chunk(index);
            int have = chunk == null ? 0 : Math.clamp(chunk.length - in, 0, n);
            if (have > 0) {
                dst.put(chunk, in, have);
            }
            if (n > have) {
                dst.put(ZEROS, 0, n - have);
            }
            pos += n;
        }
        return (int) Math.max(0, end - offset);
    }

    /**
     * Writes all of {@code src} at {@code offset}, or as much as there is space for: returns the count written, or
     * fails with ENOSPC when not even one byte fits. The caller has checked the offset against the size limit.
     */
    int write(long offset, ByteBuffer src) throws ErrnoException {
        int total = src.remaining();
        int done = 0;
        try {
            while (done < total) {
                long pos = offset + done;
                int in = (int) (pos & (CHUNK - 1));
                int n = Math.min(CHUNK - in, total - done);
                byte[] chunk = ensure(pos >>> CHUNK_SHIFT, in + n);
                src.get(chunk, in, n);
                done += n;
            }
        } catch (ErrnoException e) {
            if (done == 0) {
                throw e;
            }
        } finally {
            if (offset + done > size) {
                size = offset + done;
            }
        }
        return done;
    }

    /** Sets the size: growing leaves a hole that reads as zeros, shrinking frees the chunks past the end. */
    void truncate(long newSize) {
        if (newSize < size) {
            long keep = (newSize + CHUNK - 1) >>> CHUNK_SHIFT;
            freeFrom(keep);
            int tail = (int) (newSize & (CHUNK - 1));
            byte[] last = tail == 0 ? null : chunk(keep - 1);
            if (last != null && tail < last.length) {
                // a later growth must read zeros here, not the old bytes
                Arrays.fill(last, tail, last.length, (byte) 0);
            }
        }
        size = newSize;
    }

    /** Gives every chunk back to the file system's space. */
    void free() {
        freeFrom(0);
        pages = new byte[1][][];
        size = 0;
    }

    private void freeFrom(long firstIndex) {
        long released = 0;
        for (int p = (int) Math.min(pages.length, firstIndex >>> PAGE_SHIFT); p < pages.length; p++) {
            byte[][] page = pages[p];
            if (page == null) {
                continue;
            }
            long base = (long) p << PAGE_SHIFT;
            int from = (int) Math.max(0, firstIndex - base);
            for (int i = from; i < PAGE; i++) {
                if (page[i] != null) {
                    released += Space.roundUp(page[i].length);
                    page[i] = null;
                }
            }
            if (from == 0) {
                pages[p] = null;
            }
        }
        if (released > 0) {
            allocated -= released;
            space.release(released);
        }
    }

    private byte[] chunk(long index) {
        long p = index >>> PAGE_SHIFT;
        if (p >= pages.length) {
            return null;
        }
        byte[][] page = pages[(int) p];
        return page == null ? null : page[(int) (index & (PAGE - 1))];
    }

    /** The chunk at {@code index}, grown to hold at least {@code needed} bytes, space reserved first. */
    private byte[] ensure(long index, int needed) throws ErrnoException {
        byte[] chunk = chunk(index);
        int old = chunk == null ? 0 : chunk.length;
        if (old >= needed) {
            return chunk;
        }
        int length = Math.min(CHUNK, Math.max(Integer.highestOneBit(Math.max(needed, MIN_CHUNK) - 1) << 1, old * 2));
        long delta = Space.roundUp(length) - Space.roundUp(old);
        if (delta > 0) {
            space.reserve(delta);
            allocated += delta;
        }
        byte[] grown = chunk == null ? new byte[length] : Arrays.copyOf(chunk, length);
        int p = (int) (index >>> PAGE_SHIFT);
        if (p >= pages.length) {
            pages = Arrays.copyOf(pages, Math.max(p + 1, pages.length * 2));
        }
        if (pages[p] == null) {
            pages[p] = new byte[PAGE][];
        }
        pages[p][(int) (index & (PAGE - 1))] = grown;
        return grown;
    }
}
