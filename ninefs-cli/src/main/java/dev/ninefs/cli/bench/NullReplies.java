// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import dev.ninefs.protocol.Codec;
import dev.ninefs.protocol.Dirent;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.FrameHeader;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.Message.*;
import dev.ninefs.protocol.Qid;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The canned replies of the {@link NullResponder}, encoded once by the real codec: for every request type the
 * reply of the right type (an Rwalk per number of names), so that any client gets well-formed answers, plus what
 * the few replies that depend on the request need (zeros for Rread, the names of a fake directory for Rreaddir).
 * Immutable and shared by every connection.
 */
final class NullReplies {
    /** size[4] type[1] tag[2] count[4]: what precedes the data of an Rread or Rreaddir. */
    static final int READ_HEADER = FrameHeader.LENGTH + 4;
    private static final Qid FILE = new Qid(Qid.QTFILE, 0, 2);
    private static final Qid DIR = new Qid(Qid.QTDIR, 0, 1);

    /** By request type; null for types that are not requests. */
    private final byte[][] byType = new byte[256][];
    private final byte[][] walks = new byte[Message.MAXWELEM + 1][];
    private final byte[] einval = encode(new Rlerror(Errno.EINVAL.code()));
    private final byte[] eopnotsupp = encode(new Rlerror(Errno.EOPNOTSUPP.code()));
    /** The fake directory's names, "f000000"...; entry i has cookie i + 1. */
    private final byte[][] names;

    NullReplies(long fileSize, int entries) {
        put(Message.TSTATFS, new Rstatfs(0x01021997, 4096, 1 << 20, 1 << 19, 1 << 19, 1 << 20, 1 << 19, 42, 255));
        put(Message.TLOPEN, new Rlopen(FILE, 0));
        put(Message.TLCREATE, new Rlcreate(FILE, 0));
        put(Message.TSYMLINK, new Rsymlink(FILE));
        put(Message.TMKNOD, new Rmknod(FILE));
        put(Message.TRENAME, new Rrename());
        put(Message.TREADLINK, new Rreadlink("target"));
        put(Message.TGETATTR, new Rgetattr(Dotl.GETATTR_BASIC, FILE, 0100644, 0, 0, 1, 0, fileSize, 4096,
                (fileSize + 511) / 512, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0));
        put(Message.TSETATTR, new Rsetattr());
        put(Message.TXATTRWALK, new Rxattrwalk(0));
        put(Message.TXATTRCREATE, new Rxattrcreate());
        put(Message.TFSYNC, new Rfsync());
        put(Message.TLOCK, new Rlock(Dotl.LOCK_SUCCESS));
        put(Message.TGETLOCK, new Rgetlock(Dotl.LOCK_TYPE_UNLCK, 0, 0, 0, ""));
        put(Message.TLINK, new Rlink());
        put(Message.TMKDIR, new Rmkdir(DIR));
        put(Message.TRENAMEAT, new Rrenameat());
        put(Message.TUNLINKAT, new Runlinkat());
        byType[Message.TAUTH] = eopnotsupp; // no authentication, as diod and QEMU answer
        put(Message.TATTACH, new Rattach(DIR));
        put(Message.TFLUSH, new Rflush());
        put(Message.TCLUNK, new Rclunk());
        put(Message.TREMOVE, new Rremove());
        for (int n = 0; n <= Message.MAXWELEM; n++) {
            walks[n] = encode(new Rwalk(Collections.nCopies(n, FILE)));
        }
        names = new byte[entries][];
        for (int i = 0; i < entries; i++) {
            names[i] = String.format(Locale.ROOT, "f%06d", i).getBytes(StandardCharsets.UTF_8);
        }
    }

    private void put(int requestType, Message.Response reply) {
        byType[requestType] = encode(reply);
    }

    private static byte[] encode(Message.Response reply) {
        ByteBuffer b = ByteBuffer.allocate(Codec.encodedSize(reply));
        Codec.encode(0, reply, b);
        return b.array();
    }

    /** The canned reply to a request of {@code type} (tag 0: the caller patches it); EOPNOTSUPP if unknown. */
    byte[] forType(int type) {
        byte[] r = byType[type & 0xff];
        return r == null ? eopnotsupp : r;
    }

    /** Rwalk with {@code names} qids; Rlerror(EINVAL) beyond 16, as the spec says. */
    byte[] walk(int names) {
        return names <= Message.MAXWELEM ? walks[names] : einval;
    }

    int entries() {
        return names.length;
    }

    /** Bytes entry {@code i} takes in an Rreaddir: qid[13] offset[8] type[1] name[s]. */
    int entrySize(int i) {
        return Qid.SIZE + 8 + 1 + 2 + names[i].length;
    }

    /** Writes entry {@code i} (little-endian buffer). */
    void putEntry(ByteBuffer out, int i) {
        out.put((byte) Qid.QTFILE).putInt(0).putLong(i + 3L);
        out.putLong(i + 1L).put((byte) Dirent.DT_REG);
        out.putShort((short) names[i].length).put(names[i]);
    }

    /** For tests: every reply is one the real codec decodes. */
    List<byte[]> all() {
        List<byte[]> all = new ArrayList<>();
        for (byte[] r : byType) {
            if (r != null) {
                all.add(r);
            }
        }
        all.addAll(List.of(walks));
        return all;
    }
}
