// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.qid;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Maps every (device, inode) pair to a distinct 64-bit qid.path, the same one for the life of this object
 * (multidevs=remap). Two paths, told apart by bit 63:
 *
 * <pre>
 * fast   0 | ino (63-k bits)                | code (k bits)     ino &lt; 2^(63-k): its high k+1 bits are zero
 * range  1 | range number s (31 bits)       | ino's low 32 bits  anything else
 * </pre>
 *
 * <p><b>Fast path.</b> Each device gets, the first time it is seen, the next index n = 1, 2, 3... and with it a
 * code of k = 2b-1 bits, b being the bit length of n: from bit 0 up, b-1 zeros, a one, then the b-1 bits of n below
 * its leading one (Elias gamma, read from the low end). The export root, seen first at attach, gets n = 1, the
 * one-bit code 1, and keeps 62 bits of inode: its qid.path is 2*ino+1, small for small inodes. Codes stop at
 * b = 16 (k = 31), so every coded device keeps at least 32 bits of inode; devices after the 65,535th get no code.
 * An inode takes the fast path only if nothing is lost: {@code ino >>> (63-k) == 0}.
 *
 * <p><b>Range path.</b> Everything else (inode numbers with high bits set, as overlayfs's xino and some network
 * file systems give, and devices without a code) is keyed on (device, ino's high 32 bits): each such range gets the
 * next number s once, and the path keeps the low 32 bits. Memory grows with the ranges in use, not with files,
 * except for a file system whose inode numbers are spread at random over 64 bits (one range per file, as QEMU's
 * full map). After 2^31 ranges a new one fails with EOVERFLOW rather than reuse a number.
 *
 * <p><b>Why two pairs never share a path.</b> The two paths differ in bit 63. A fast path q decodes uniquely: its
 * lowest set bit is bit b-1 of the code (the inode part starts at bit k &gt; b-1), which gives b and k; the low k
 * bits give n; n names one device, because indices are handed out once each under the device table's atomic
 * insert; q &gt;&gt;&gt; k is the whole inode, because the fast path is taken only when the bits shifted out are
 * zero. A range path decodes uniquely too: s names one (device, high 32 bits), handed out once each under the range
 * table's atomic insert, and the low 32 bits are kept. So the mapping has an inverse and is injective. It is also
 * stable: which path a pair takes depends only on its inode and on its device's code, fixed at first sight, and no
 * table entry is ever changed or removed.
 *
 * <p>QEMU's remap (hw/9pfs, qid_path_suffixmap) keys its fast table on the device and the top bits of the inode,
 * as many bits as the device's first code was long, but shifts out as many bits as the code of each later
 * (device, prefix) entry is long, which grows: inodes that differ only in the bits between are given one path. Here
 * the bits a code displaces are required to be zero and the range table keys on exactly the bits it drops.
 *
 * <p>Thread-safe. Once a device is known, a fast-path lookup is one lock-free hash table read.
 */
final class QidPaths {
    /** Codes up to this bit length; the device index then has at most 16 bits. */
    static final int MAX_CODE_BITS = 31;
    /** Ranges the range path can number: s has 31 bits. */
    static final long MAX_RANGES = 1L << 31;

    private final ConcurrentHashMap<Long, Device> devices = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Range, Long> ranges = new ConcurrentHashMap<>();
    private final AtomicInteger deviceCount = new AtomicInteger();
    private final AtomicLong rangeCount = new AtomicLong();

    /**
     * A device: its code and code length, or {@code bits = 0} when it has none (all its inodes take the range path).
     * The fast path applies when {@code ino >>> (63 - bits) == 0}.
     */
    record Device(long dev, int bits, long code) {
        boolean fits(long ino) {
            return bits != 0 && ino >>> (63 - bits) == 0;
        }
    }

    /** A 2^32-inode range of one device. */
    private record Range(long dev, long high) {}

    /** The qid.path of inode {@code ino} of device {@code dev}. EOVERFLOW only past 2^31 ranges (never in practice). */
    long path(long dev, long ino) throws ErrnoException {
        Device d = device(dev);
        if (d.fits(ino)) {
            return ino << d.bits() | d.code();
        }
        return rangePath(dev, ino);
    }

    Device device(long dev) {
        Device d = devices.get(dev);
        return d != null ? d : devices.computeIfAbsent(dev, this::newDevice);
    }

    /** Called once per device, under the table's lock for that key: the index is handed out exactly once. */
    private Device newDevice(long dev) {
        int n = deviceCount.incrementAndGet();
        int b = 32 - Integer.numberOfLeadingZeros(n);
        int bits = 2 * b - 1;
        return bits > MAX_CODE_BITS ? new Device(dev, 0, 0) : new Device(dev, bits, code(n));
    }

    private long rangePath(long dev, long ino) throws ErrnoException {
        Long s = ranges.computeIfAbsent(new Range(dev, ino >>> 32), r -> {
            long next = rangeCount.getAndIncrement();
            return next < MAX_RANGES ? next : null; // null: no entry is made, and the caller fails
        });
        if (s == null) {
            throw new ErrnoException(Errno.EOVERFLOW, "multidevs=remap: more than 2^31 inode ranges");
        }
        return Long.MIN_VALUE | s << 32 | (ino & 0xffff_ffffL);
    }

    /** Devices seen so far: one table entry each. */
    int devices() {
        return devices.size();
    }

    /** Ranges handed out so far: one table entry each. */
    int ranges() {
        return ranges.size();
    }

    /**
     * The code of device index {@code n} (1 to 65,535) as the low bits of a long: b-1 zeros, a one, then n's bits
     * below its leading one; b is n's bit length and the code is 2b-1 bits long.
     */
    static long code(int n) {
        if (n < 1 || n > 0xffff) {
            throw new IllegalArgumentException("device index " + n);
        }
        int b = 32 - Integer.numberOfLeadingZeros(n);
        long top = 1L << (b - 1);
        return (n ^ top) << b | top;
    }

    /** The bit length of {@link #code(int) code(n)}. */
    static int codeBits(int n) {
        return 2 * (32 - Integer.numberOfLeadingZeros(n)) - 1;
    }

    /**
     * The device index of a fast path, read back from its low bits alone: the inverse the injectivity argument
     * relies on (0 for a range path).
     */
    static int index(long path) {
        if (path <= 0) {
            return 0;
        }
        int b = Long.numberOfTrailingZeros(path) + 1;
        long top = 1L << (b - 1);
        return (int) ((path >>> b & (top - 1)) | top);
    }
}
