// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.protocol;

import static dev.ninefs.protocol.Message.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One decode: a bounds-checked cursor over a frame whose header was already checked. Every read checks what is
 * left before it touches or allocates anything, so a hostile length can only produce a {@link ProtocolException}.
 * The buffer must be little-endian while the decoder runs (the codec sets and restores the order).
 */
final class FrameDecoder {
    /** The smallest Rreaddir entry: qid[13] offset[8] type[1] name[2 + 0]. */
    private static final int MIN_DIRENT = Qid.SIZE + 8 + 1 + 2;

    private final ByteBuffer buf;
    private final int tag;
    private final int type;
    private int pos;
    private int end;

    FrameDecoder(ByteBuffer buf, int bodyStart, int end, int tag, int type) {
        this.buf = buf;
        this.pos = bodyStart;
        this.end = end;
        this.tag = tag;
        this.type = type;
    }

    Message body() throws ProtocolException {
        Message m = switch (type) {
            case TSTATFS -> new Tstatfs(u32());
            case TLOPEN -> new Tlopen(u32(), u32());
            case TLCREATE -> new Tlcreate(u32(), str(), u32(), u32(), u32());
            case TSYMLINK -> new Tsymlink(u32(), str(), str(), u32());
            case TMKNOD -> new Tmknod(u32(), str(), u32(), u32(), u32(), u32());
            case TRENAME -> new Trename(u32(), u32(), str());
            case TREADLINK -> new Treadlink(u32());
            case TGETATTR -> new Tgetattr(u32(), u64());
            case TSETATTR -> new Tsetattr(u32(), u32(), u32(), u32(), u32(), u64(), u64(), u64(), u64(), u64());
            case TXATTRWALK -> new Txattrwalk(u32(), u32(), str());
            case TXATTRCREATE -> new Txattrcreate(u32(), str(), u64(), u32());
            case TREADDIR -> new Treaddir(u32(), u64(), u32());
            case TFSYNC -> new Tfsync(u32(), u32());
            case TLOCK -> new Tlock(u32(), u8(), u32(), u64(), u64(), u32(), str());
            case TGETLOCK -> new Tgetlock(u32(), u8(), u64(), u64(), u32(), str());
            case TLINK -> new Tlink(u32(), u32(), str());
            case TMKDIR -> new Tmkdir(u32(), str(), u32(), u32());
            case TRENAMEAT -> new Trenameat(u32(), str(), u32(), str());
            case TUNLINKAT -> new Tunlinkat(u32(), str(), u32());
            case TVERSION -> new Tversion(u32(), str());
            case TAUTH -> new Tauth(u32(), str(), str(), u32());
            case TATTACH -> new Tattach(u32(), u32(), str(), str(), u32());
            case TFLUSH -> new Tflush(u16());
            case TWALK -> new Twalk(u32(), u32(), wnames());
            case TREAD -> new Tread(u32(), u64(), u32());
            case TWRITE -> new Twrite(u32(), u64(), payload());
            case TCLUNK -> new Tclunk(u32());
            case TREMOVE -> new Tremove(u32());

            case RLERROR -> new Rlerror(u32());
            case RSTATFS -> new Rstatfs(u32(), u32(), u64(), u64(), u64(), u64(), u64(), u64(), u32());
            case RLOPEN -> new Rlopen(qid(), u32());
            case RLCREATE -> new Rlcreate(qid(), u32());
            case RSYMLINK -> new Rsymlink(qid());
            case RMKNOD -> new Rmknod(qid());
            case RRENAME -> new Rrename();
            case RREADLINK -> new Rreadlink(str());
            case RGETATTR -> new Rgetattr(u64(), qid(), u32(), u32(), u32(), u64(), u64(), u64(), u64(), u64(),
                    u64(), u64(), u64(), u64(), u64(), u64(), u64(), u64(), u64(), u64());
            case RSETATTR -> new Rsetattr();
            case RXATTRWALK -> new Rxattrwalk(u64());
            case RXATTRCREATE -> new Rxattrcreate();
            case RREADDIR -> new Rreaddir(dirents());
            case RFSYNC -> new Rfsync();
            case RLOCK -> new Rlock(u8());
            case RGETLOCK -> new Rgetlock(u8(), u64(), u64(), u32(), str());
            case RLINK -> new Rlink();
            case RMKDIR -> new Rmkdir(qid());
            case RRENAMEAT -> new Rrenameat();
            case RUNLINKAT -> new Runlinkat();
            case RVERSION -> new Rversion(u32(), str());
            case RAUTH -> new Rauth(qid());
            case RATTACH -> new Rattach(qid());
            case RFLUSH -> new Rflush();
            case RWALK -> new Rwalk(qids());
            case RREAD -> new Rread(payload());
            case RWRITE -> new Rwrite(u32());
            case RCLUNK -> new Rclunk();
            case RREMOVE -> new Rremove();
            default -> throw new ProtocolException(unknownType(), tag, type, Errno.EOPNOTSUPP);
        };
        if (pos != end) {
            throw fail((end - pos) + " bytes of trailing garbage after the body");
        }
        return m;
    }

    private String unknownType() {
        String legacy = switch (type) {
            case 106 -> " (9P2000 Terror)";
            case 107 -> " (9P2000 Rerror)";
            case 112 -> " (9P2000 Topen)";
            case 114 -> " (9P2000 Tcreate)";
            case 124 -> " (9P2000 Tstat)";
            case 126 -> " (9P2000 Twstat)";
            default -> "";
        };
        return "message type " + type + legacy + " is not 9P2000.L";
    }

    private ProtocolException fail(String what) {
        return new ProtocolException("type " + type + ": " + what, tag, type, Errno.EPROTO);
    }

    /** Fails unless {@code n} (an unsigned count from the wire, or a field width) bytes remain. */
    private void need(long n) throws ProtocolException {
        if (n > end - pos) {
            throw fail("needs " + n + " bytes at offset " + pos + " but the frame ends at " + end);
        }
    }

    private int u8() throws ProtocolException {
        need(1);
        return buf.get(pos++) & 0xff;
    }

    private int u16() throws ProtocolException {
        need(2);
        int v = buf.getShort(pos) & 0xffff;
        pos += 2;
        return v;
    }

    private int u32() throws ProtocolException {
        need(4);
        int v = buf.getInt(pos);
        pos += 4;
        return v;
    }

    private long u64() throws ProtocolException {
        need(8);
        long v = buf.getLong(pos);
        pos += 8;
        return v;
    }

    private Qid qid() throws ProtocolException {
        need(Qid.SIZE);
        Qid q = new Qid(buf.get(pos) & 0xff, buf.getInt(pos + 1), buf.getLong(pos + 5));
        pos += Qid.SIZE;
        return q;
    }

    /** s: len[2] then len bytes of UTF-8, rejected when malformed rather than silently replaced. */
    private String str() throws ProtocolException {
        int len = u16();
        need(len);
        if (len == 0) {
            return "";
        }
        byte[] array;
        int off;
        if (buf.hasArray()) {
            array = buf.array();
            off = buf.arrayOffset() + pos;
        } else {
            array = new byte[len]; // len is checked against the frame above
            buf.get(pos, array);
            off = 0;
        }
        int bad = Utf8.firstInvalid(array, off, len);
        if (bad >= 0) {
            throw fail("string at offset " + (pos - 2) + " is not UTF-8 (byte " + bad + ")");
        }
        pos += len;
        return new String(array, off, len, StandardCharsets.UTF_8);
    }

    /** count[4] data[count], returned as a slice of the frame: no copy. */
    private ByteBuffer payload() throws ProtocolException {
        long count = Integer.toUnsignedLong(u32());
        need(count);
        ByteBuffer data = buf.slice(pos, (int) count); // a slice is big-endian, like any fresh buffer
        pos += (int) count;
        return data;
    }

    private List<String> wnames() throws ProtocolException {
        int n = u16();
        if (n > MAXWELEM) {
            throw new ProtocolException("Twalk with " + n + " names, more than " + MAXWELEM, tag, type, Errno.EINVAL);
        }
        need(2L * n); // each name is at least its length field
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = str();
        }
        return List.of(names);
    }

    private List<Qid> qids() throws ProtocolException {
        int n = u16();
        if (n > MAXWELEM) {
            throw new ProtocolException("Rwalk with " + n + " qids, more than " + MAXWELEM, tag, type, Errno.EINVAL);
        }
        need((long) Qid.SIZE * n);
        Qid[] qids = new Qid[n];
        for (int i = 0; i < n; i++) {
            qids[i] = qid();
        }
        return List.of(qids);
    }

    /** count[4] then entries packed in exactly count bytes; an entry may not run past count. */
    private List<Dirent> dirents() throws ProtocolException {
        long count = Integer.toUnsignedLong(u32());
        need(count);
        int outerEnd = end;
        end = pos + (int) count;
        List<Dirent> entries = new ArrayList<>((int) count / MIN_DIRENT); // bounded by the frame, checked above
        while (pos < end) {
            entries.add(new Dirent(qid(), u64(), u8(), str()));
        }
        end = outerEnd;
        return entries;
    }
}
