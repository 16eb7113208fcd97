// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.fs.Node;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.ByteBuffer;

/**
 * A fid after Txattrcreate: Twrites fill a buffer of exactly the announced size, and Tclunk sets the attribute
 * (or removes it when the size is 0, which is how the Linux client sends removexattr). As in QEMU, a value not
 * written in full is EINVAL at clunk and nothing is set.
 */
final class XattrWrite implements FidState {
    /** XATTR_SIZE_MAX of Linux: larger values are E2BIG at Txattrcreate. */
    static final int MAX_SIZE = 65536;

    private final Node node;
    private final String name;
    private final int flags;
    private final byte[] value;
    private int written;

    XattrWrite(Node node, String name, int flags, int size) {
        this.node = node;
        this.name = name;
        this.flags = flags;
        this.value = new byte[size];
    }

    /** Copies what fits of {@code data} at {@code offset}; ENOSPC past the announced size. */
    synchronized int write(long offset, ByteBuffer data) throws ErrnoException {
        if (offset < 0 || offset > value.length) {
            throw new ErrnoException(Errno.ENOSPC, "xattr write at " + offset + " past its size " + value.length);
        }
        int n = Math.min(data.remaining(), value.length - (int) offset);
        data.duplicate().get(value, (int) offset, n);
        written += n;
        return n;
    }

    /** Sets (or removes) the attribute; what Tclunk of this fid does. */
    void commit() throws ErrnoException {
        byte[] copy;
        synchronized (this) {
            if (written != value.length) {
                throw new ErrnoException(Errno.EINVAL,
                        "xattr " + name + ": " + written + " of " + value.length + " bytes written");
            }
            copy = value;
        }
        if (copy.length == 0) {
            node.removexattr(name);
        } else {
            node.setxattr(name, copy, flags);
        }
    }

    Node node() {
        return node;
    }

    @Override
    public void close() {
        node.close();
    }
}
