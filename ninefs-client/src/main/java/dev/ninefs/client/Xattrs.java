// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Message;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Extended attributes the 9P2000.L way. Reading: Txattrwalk gives a new fid and the value's size, Treads on that
 * fid give the value, Tclunk ends it. Writing: Txattrcreate turns a fresh fid into a write-only attribute of the
 * announced size, Twrites fill it, and the Tclunk is what sets it, so its Rlerror is the call's error. Removing is
 * Txattrcreate of size 0 (what Linux's v9fs sends for removexattr).
 */
final class Xattrs {
    /** XATTR_SIZE_MAX of Linux: no server can hold a larger value. */
    static final long MAX_SIZE = 1 << 16;
    private static final int MAX_LIST = 1 << 20;

    private Xattrs() {}

    static byte[] get(RemoteFile file, String name) throws IOException {
        return read(file, name, MAX_SIZE);
    }

    static List<String> list(RemoteFile file) throws IOException {
        byte[] raw = read(file, "", MAX_LIST);
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                if (i > start) {
                    names.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return names;
    }

    private static byte[] read(RemoteFile file, String name, long limit) throws IOException {
        Connection conn = file.connection();
        int newfid = conn.fids().allocate();
        Message.Txattrwalk walk = new Message.Txattrwalk(file.fid(), newfid, name);
        long size = ((Message.Rxattrwalk) file.await(conn.sendAwaited(walk, false))).size();
        try (RemoteFile attr = file.adopt(newfid, file.qid(), file.path() + " [xattr " + name + "]")) {
            if (size < 0 || size > limit) {
                throw new ErrnoException(Errno.E2BIG, attr.path() + ": server announces " + Long.toUnsignedString(size)
                        + " bytes");
            }
            byte[] value = new byte[(int) size];
            int n = attr.readFully(0, value, 0, value.length);
            if (n != value.length) {
                throw new ErrnoException(Errno.EIO, attr.path() + ": got " + n + " of " + size + " bytes");
            }
            return value;
        }
    }

    static void set(RemoteFile file, String name, byte[] value, int flags) throws IOException {
        RemoteFile attr = file.duplicate();
        try {
            attr.call(new Message.Txattrcreate(attr.fid(), name, value.length, flags), Message.Rxattrcreate.class);
            if (value.length > 0) {
                attr.writeFully(0, ByteBuffer.wrap(value));
            }
        } catch (IOException | RuntimeException e) {
            attr.closeQuietly(e);
            throw e;
        }
        attr.close();
    }

    static void remove(RemoteFile file, String name) throws IOException {
        set(file, name, new byte[0], 0);
    }
}
