// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.protocol;

import static dev.ninefs.protocol.Message.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Sizes and writes message bodies.
 *
 * <p>Dispatch is on the type byte (a tableswitch), not a pattern switch over the sealed records: measured on JDK 25,
 * the pattern switch's bootstrap costs 20 ns for its first case but 80-200 ns for later ones, twice per encode. That
 * no record is forgotten is checked by CodecRoundTripTest, which encodes a sample of every permitted subclass.
 *
 * <p>The output buffer must be little-endian while it writes (the codec sets and restores the order) and must have
 * room: the codec checks {@link #bodySize} against it first, so a write never stops half way.
 */
final class FrameEncoder {
    private FrameEncoder() {}

    /** Bytes of the body, header excluded. Checks what the wire cannot carry (long strings, too many names). */
    static int bodySize(Message message) {
        return switch (message.type()) {
            case TSTATFS -> 4;
            case TLOPEN -> 8;
            case TLCREATE -> 4 + str(((Tlcreate) message).name()) + 12;
            case TSYMLINK -> {
                Tsymlink m = (Tsymlink) message;
                yield 4 + str(m.name()) + str(m.symtgt()) + 4;
            }
            case TMKNOD -> 4 + str(((Tmknod) message).name()) + 16;
            case TRENAME -> 8 + str(((Trename) message).name());
            case TREADLINK -> 4;
            case TGETATTR -> 12;
            case TSETATTR -> 20 + 40;
            case TXATTRWALK -> 8 + str(((Txattrwalk) message).name());
            case TXATTRCREATE -> 4 + str(((Txattrcreate) message).name()) + 12;
            case TREADDIR -> 16;
            case TFSYNC -> 8;
            case TLOCK -> 4 + 1 + 4 + 8 + 8 + 4 + str(((Tlock) message).clientId());
            case TGETLOCK -> 4 + 1 + 8 + 8 + 4 + str(((Tgetlock) message).clientId());
            case TLINK -> 8 + str(((Tlink) message).name());
            case TMKDIR -> 4 + str(((Tmkdir) message).name()) + 8;
            case TRENAMEAT -> {
                Trenameat m = (Trenameat) message;
                yield 4 + str(m.oldname()) + 4 + str(m.newname());
            }
            case TUNLINKAT -> 4 + str(((Tunlinkat) message).name()) + 4;
            case TVERSION -> 4 + str(((Tversion) message).version());
            case TAUTH -> {
                Tauth m = (Tauth) message;
                yield 4 + str(m.uname()) + str(m.aname()) + 4;
            }
            case TATTACH -> {
                Tattach m = (Tattach) message;
                yield 8 + str(m.uname()) + str(m.aname()) + 4;
            }
            case TFLUSH -> 2;
            case TWALK -> 8 + 2 + names(((Twalk) message).wnames());
            case TREAD -> 16;
            case TWRITE -> 16 + ((Twrite) message).data().remaining();
            case TCLUNK -> 4;
            case TREMOVE -> 4;

            case RLERROR -> 4;
            case RSTATFS -> 8 + 48 + 4;
            case RLOPEN -> Qid.SIZE + 4;
            case RLCREATE -> Qid.SIZE + 4;
            case RSYMLINK -> Qid.SIZE;
            case RMKNOD -> Qid.SIZE;
            case RRENAME -> 0;
            case RREADLINK -> str(((Rreadlink) message).target());
            case RGETATTR -> 8 + Qid.SIZE + 12 + 15 * 8;
            case RSETATTR -> 0;
            case RXATTRWALK -> 8;
            case RXATTRCREATE -> 0;
            case RREADDIR -> 4 + direntsSize(((Rreaddir) message).entries());
            case RFSYNC -> 0;
            case RLOCK -> 1;
            case RGETLOCK -> 1 + 8 + 8 + 4 + str(((Rgetlock) message).clientId());
            case RLINK -> 0;
            case RMKDIR -> Qid.SIZE;
            case RRENAMEAT -> 0;
            case RUNLINKAT -> 0;
            case RVERSION -> 4 + str(((Rversion) message).version());
            case RAUTH -> Qid.SIZE;
            case RATTACH -> Qid.SIZE;
            case RFLUSH -> 0;
            case RWALK -> 2 + Qid.SIZE * walkCount(((Rwalk) message).qids().size());
            case RREAD -> 4 + ((Rread) message).data().remaining();
            case RWRITE -> 4;
            case RCLUNK -> 0;
            case RREMOVE -> 0;
            default -> throw unknown(message);
        };
    }

    /**
     * Writes the body at {@code out}'s position. With {@code withPayload} false, stops before the data of a
     * Twrite or Rread (which are last in their message) so that the caller can send the data from its own buffer.
     */
    static void body(Message message, ByteBuffer out, boolean withPayload) {
        switch (message.type()) {
            case TSTATFS -> out.putInt(((Tstatfs) message).fid());
            case TLOPEN -> {
                Tlopen m = (Tlopen) message;
                out.putInt(m.fid()).putInt(m.flags());
            }
            case TLCREATE -> {
                Tlcreate m = (Tlcreate) message;
                out.putInt(m.fid());
                str(out, m.name());
                out.putInt(m.flags()).putInt(m.mode()).putInt(m.gid());
            }
            case TSYMLINK -> {
                Tsymlink m = (Tsymlink) message;
                out.putInt(m.fid());
                str(out, m.name());
                str(out, m.symtgt());
                out.putInt(m.gid());
            }
            case TMKNOD -> {
                Tmknod m = (Tmknod) message;
                out.putInt(m.dfid());
                str(out, m.name());
                out.putInt(m.mode()).putInt(m.major()).putInt(m.minor()).putInt(m.gid());
            }
            case TRENAME -> {
                Trename m = (Trename) message;
                out.putInt(m.fid()).putInt(m.dfid());
                str(out, m.name());
            }
            case TREADLINK -> out.putInt(((Treadlink) message).fid());
            case TGETATTR -> {
                Tgetattr m = (Tgetattr) message;
                out.putInt(m.fid()).putLong(m.requestMask());
            }
            case TSETATTR -> {
                Tsetattr m = (Tsetattr) message;
                out.putInt(m.fid()).putInt(m.valid()).putInt(m.mode()).putInt(m.uid()).putInt(m.gid())
                        .putLong(m.size()).putLong(m.atimeSec()).putLong(m.atimeNsec()).putLong(m.mtimeSec())
                        .putLong(m.mtimeNsec());
            }
            case TXATTRWALK -> {
                Txattrwalk m = (Txattrwalk) message;
                out.putInt(m.fid()).putInt(m.newfid());
                str(out, m.name());
            }
            case TXATTRCREATE -> {
                Txattrcreate m = (Txattrcreate) message;
                out.putInt(m.fid());
                str(out, m.name());
                out.putLong(m.attrSize()).putInt(m.flags());
            }
            case TREADDIR -> {
                Treaddir m = (Treaddir) message;
                out.putInt(m.fid()).putLong(m.offset()).putInt(m.count());
            }
            case TFSYNC -> {
                Tfsync m = (Tfsync) message;
                out.putInt(m.fid()).putInt(m.datasync());
            }
            case TLOCK -> {
                Tlock m = (Tlock) message;
                out.putInt(m.fid()).put((byte) m.lockType()).putInt(m.flags()).putLong(m.start())
                        .putLong(m.length()).putInt(m.procId());
                str(out, m.clientId());
            }
            case TGETLOCK -> {
                Tgetlock m = (Tgetlock) message;
                out.putInt(m.fid()).put((byte) m.lockType()).putLong(m.start()).putLong(m.length())
                        .putInt(m.procId());
                str(out, m.clientId());
            }
            case TLINK -> {
                Tlink m = (Tlink) message;
                out.putInt(m.dfid()).putInt(m.fid());
                str(out, m.name());
            }
            case TMKDIR -> {
                Tmkdir m = (Tmkdir) message;
                out.putInt(m.dfid());
                str(out, m.name());
                out.putInt(m.mode()).putInt(m.gid());
            }
            case TRENAMEAT -> {
                Trenameat m = (Trenameat) message;
                out.putInt(m.olddirfid());
                str(out, m.oldname());
                out.putInt(m.newdirfid());
                str(out, m.newname());
            }
            case TUNLINKAT -> {
                Tunlinkat m = (Tunlinkat) message;
                out.putInt(m.dirfid());
                str(out, m.name());
                out.putInt(m.flags());
            }
            case TVERSION -> {
                Tversion m = (Tversion) message;
                out.putInt(m.msize());
                str(out, m.version());
            }
            case TAUTH -> {
                Tauth m = (Tauth) message;
                out.putInt(m.afid());
                str(out, m.uname());
                str(out, m.aname());
                out.putInt(m.nUname());
            }
            case TATTACH -> {
                Tattach m = (Tattach) message;
                out.putInt(m.fid()).putInt(m.afid());
                str(out, m.uname());
                str(out, m.aname());
                out.putInt(m.nUname());
            }
            case TFLUSH -> out.putShort((short) ((Tflush) message).oldtag());
            case TWALK -> {
                Twalk m = (Twalk) message;
                out.putInt(m.fid()).putInt(m.newfid()).putShort((short) m.wnames().size());
                for (String name : m.wnames()) {
                    str(out, name);
                }
            }
            case TREAD -> {
                Tread m = (Tread) message;
                out.putInt(m.fid()).putLong(m.offset()).putInt(m.count());
            }
            case TWRITE -> {
                Twrite m = (Twrite) message;
                out.putInt(m.fid()).putLong(m.offset()).putInt(m.data().remaining());
                if (withPayload) {
                    data(out, m.data());
                }
            }
            case TCLUNK -> out.putInt(((Tclunk) message).fid());
            case TREMOVE -> out.putInt(((Tremove) message).fid());

            case RLERROR -> out.putInt(((Rlerror) message).ecode());
            case RSTATFS -> {
                Rstatfs m = (Rstatfs) message;
                out.putInt(m.fsType()).putInt(m.bsize()).putLong(m.blocks()).putLong(m.bfree())
                        .putLong(m.bavail()).putLong(m.files()).putLong(m.ffree()).putLong(m.fsid())
                        .putInt(m.namelen());
            }
            case RLOPEN -> {
                Rlopen m = (Rlopen) message;
                qid(out, m.qid()).putInt(m.iounit());
            }
            case RLCREATE -> {
                Rlcreate m = (Rlcreate) message;
                qid(out, m.qid()).putInt(m.iounit());
            }
            case RSYMLINK -> qid(out, ((Rsymlink) message).qid());
            case RMKNOD -> qid(out, ((Rmknod) message).qid());
            case RRENAME -> { }
            case RREADLINK -> str(out, ((Rreadlink) message).target());
            case RGETATTR -> {
                Rgetattr m = (Rgetattr) message;
                out.putLong(m.valid());
                qid(out, m.qid()).putInt(m.mode()).putInt(m.uid()).putInt(m.gid()).putLong(m.nlink())
                        .putLong(m.rdev()).putLong(m.size()).putLong(m.blksize()).putLong(m.blocks())
                        .putLong(m.atimeSec()).putLong(m.atimeNsec()).putLong(m.mtimeSec()).putLong(m.mtimeNsec())
                        .putLong(m.ctimeSec()).putLong(m.ctimeNsec()).putLong(m.btimeSec()).putLong(m.btimeNsec())
                        .putLong(m.gen()).putLong(m.dataVersion());
            }
            case RSETATTR -> { }
            case RXATTRWALK -> out.putLong(((Rxattrwalk) message).size());
            case RXATTRCREATE -> { }
            case RREADDIR -> {
                Rreaddir m = (Rreaddir) message;
                int countAt = out.position();
                out.putInt(0);
                for (Dirent d : m.entries()) {
                    qid(out, d.qid()).putLong(d.offset()).put((byte) d.dtype());
                    str(out, d.name());
                }
                out.putInt(countAt, out.position() - countAt - 4);
            }
            case RFSYNC -> { }
            case RLOCK -> out.put((byte) ((Rlock) message).status());
            case RGETLOCK -> {
                Rgetlock m = (Rgetlock) message;
                out.put((byte) m.lockType()).putLong(m.start()).putLong(m.length()).putInt(m.procId());
                str(out, m.clientId());
            }
            case RLINK -> { }
            case RMKDIR -> qid(out, ((Rmkdir) message).qid());
            case RRENAMEAT -> { }
            case RUNLINKAT -> { }
            case RVERSION -> {
                Rversion m = (Rversion) message;
                out.putInt(m.msize());
                str(out, m.version());
            }
            case RAUTH -> qid(out, ((Rauth) message).aqid());
            case RATTACH -> qid(out, ((Rattach) message).qid());
            case RFLUSH -> { }
            case RWALK -> {
                Rwalk m = (Rwalk) message;
                out.putShort((short) m.qids().size());
                for (Qid q : m.qids()) {
                    qid(out, q);
                }
            }
            case RREAD -> {
                Rread m = (Rread) message;
                out.putInt(m.data().remaining());
                if (withPayload) {
                    data(out, m.data());
                }
            }
            case RWRITE -> out.putInt(((Rwrite) message).count());
            case RCLUNK -> { }
            case RREMOVE -> { }
            default -> throw unknown(message);
        }
    }

    /** The payload a Twrite or Rread carries, or null for every other message. */
    static ByteBuffer payload(Message message) {
        return switch (message.type()) {
            case TWRITE -> ((Twrite) message).data();
            case RREAD -> ((Rread) message).data();
            default -> null;
        };
    }

    /** Unreachable while every record's type() is one of the constants above; the tests encode them all. */
    private static IllegalStateException unknown(Message message) {
        return new IllegalStateException("no encoding for " + message.getClass().getName() + ", type "
                + message.type());
    }

    private static int str(String s) {
        int n = Utf8.length(s);
        if (n > 0xffff) {
            throw new IllegalArgumentException("string of " + n + " bytes does not fit 9P's 16-bit length");
        }
        return 2 + n;
    }

    private static int names(List<String> names) {
        int size = 0;
        for (String name : names) {
            size += str(name);
        }
        walkCount(names.size());
        return size;
    }

    private static int walkCount(int n) {
        if (n > MAXWELEM) {
            throw new IllegalArgumentException(n + " walk elements, more than " + MAXWELEM);
        }
        return n;
    }

    private static int direntsSize(List<Dirent> entries) {
        int size = 0;
        for (Dirent d : entries) {
            size += Qid.SIZE + 8 + 1 + str(d.name());
        }
        return size;
    }

    private static void str(ByteBuffer out, String s) {
        // ASCII, by far the usual case (every name of a large listing goes through here): straight into the
        // frame, without the byte[] that getBytes makes.
        int n = s.length();
        int at = out.position();
        if (out.remaining() >= 2 + n) {
            int i = 0;
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    break;
                }
                out.put(at + 2 + i, (byte) c);
            }
            if (i == n) {
                out.putShort(at, (short) n).position(at + 2 + n);
                return;
            }
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.putShort((short) bytes.length).put(bytes);
    }

    private static ByteBuffer qid(ByteBuffer out, Qid q) {
        return out.put((byte) q.type()).putInt(q.version()).putLong(q.path());
    }

    /** Bulk copy without touching the source's position (it may be shared with other readers). */
    private static void data(ByteBuffer out, ByteBuffer data) {
        int n = data.remaining();
        out.put(out.position(), data, data.position(), n);
        out.position(out.position() + n);
    }
}
