// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.protocol;

import static dev.ninefs.protocol.Message.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Byte-exact frames, written by hand from the 9P2000.L description (Linux Documentation/filesystems/9p.rst,
 * include/net/9p/9p.h and diod's protocol.md): every integer little-endian, s = len[2] + UTF-8, qid = type[1]
 * version[4] path[8]. Hex groups follow the fields; each frame is decoded and re-encoded against the same bytes.
 */
class CodecVectorTest {

    private static void vector(String hex, int tag, Message m) throws ProtocolException {
        byte[] wire = HexFormat.of().parseHex(hex.replace(" ", ""));
        ByteBuffer out = ByteBuffer.allocate(Codec.encodedSize(m));
        Codec.encode(tag, m, out);
        assertEquals(HexFormat.of().formatHex(wire), HexFormat.of().formatHex(out.array()), "encode");
        assertEquals(new Frame(tag, m), Codec.decode(ByteBuffer.wrap(wire)), "decode");
    }

    @Test
    void tversionAndRversion() throws ProtocolException {
        // size=21 (7 + msize 4 + 2 + 8), type 100, tag NOTAG, msize 8192 = 0x2000, "9P2000.L" (8 bytes)
        vector("15000000 64 ffff 00200000 0800 3950323030302e4c", NOTAG, new Tversion(8192, "9P2000.L"));
        // the same with type 101
        vector("15000000 65 ffff 00200000 0800 3950323030302e4c", NOTAG, new Rversion(8192, "9P2000.L"));
    }

    @Test
    void tattachAndRattach() throws ProtocolException {
        // size=31, type 104, tag 1, fid 1, afid NOFID, uname "root", aname "/srv", n_uname 0
        vector("1f000000 68 0100 01000000 ffffffff 0400 726f6f74 0400 2f737276 00000000", 1,
                new Tattach(1, NOFID, "root", "/srv", 0));
        // size=20, type 105, tag 1, qid: type QTDIR 0x80, version 0, path 0x0102030405060708 (low byte first)
        vector("14000000 69 0100 80 00000000 0807060504030201", 1,
                new Rattach(new Qid(Qid.QTDIR, 0, 0x0102030405060708L)));
    }

    @Test
    void twalkAndRwalk() throws ProtocolException {
        // size=24, type 110, tag 2, fid 1, newfid 2, nwname 2, "a", "bc"
        vector("18000000 6e 0200 01000000 02000000 0200 0100 61 0200 6263", 2, new Twalk(1, 2, List.of("a", "bc")));
        // size=35, type 111, tag 2, nwqid 2, qid(dir, v1, path 0x10), qid(file, v2, path 0x11)
        vector("23000000 6f 0200 0200 80 01000000 1000000000000000 00 02000000 1100000000000000", 2,
                new Rwalk(List.of(new Qid(Qid.QTDIR, 1, 0x10), new Qid(Qid.QTFILE, 2, 0x11))));
    }

    @Test
    void tgetattrAndRgetattr() throws ProtocolException {
        // size=19, type 24, tag 3, fid 2, request_mask P9_GETATTR_BASIC 0x7ff
        vector("13000000 18 0300 02000000 ff07000000000000", 3, new Tgetattr(2, Dotl.GETATTR_BASIC));
        // size=160 = 7 + valid 8 + qid 13 + mode/uid/gid 12 + 15 u64; type 25, tag 3;
        // valid 0x7ff; qid(file, 1, 0x11); mode 0100644 = 0x81a4; uid = gid = 1000 = 0x3e8;
        // nlink 1, rdev 0, size 5, blksize 4096, blocks 8;
        // atime/mtime/ctime sec 1700000000 = 0x6553f100, nsec 1/2/3; btime 0 0; gen 0; data_version 0
        vector("a0000000 19 0300 ff07000000000000 00 01000000 1100000000000000 a4810000 e8030000 e8030000"
                + " 0100000000000000 0000000000000000 0500000000000000 0010000000000000 0800000000000000"
                + " 00f1536500000000 0100000000000000 00f1536500000000 0200000000000000"
                + " 00f1536500000000 0300000000000000 0000000000000000 0000000000000000"
                + " 0000000000000000 0000000000000000", 3,
                new Rgetattr(Dotl.GETATTR_BASIC, new Qid(Qid.QTFILE, 1, 0x11), 0100644, 1000, 1000, 1, 0, 5, 4096,
                        8, 1_700_000_000, 1, 1_700_000_000, 2, 1_700_000_000, 3, 0, 0, 0, 0));
    }

    @Test
    void treaddirAndRreaddir() throws ProtocolException {
        // size=23, type 40, tag 4, fid 2, offset 0, count 4096
        vector("17000000 28 0400 02000000 0000000000000000 00100000", 4, new Treaddir(2, 0, 4096));
        // size=61, type 41, tag 4, count 50 = two entries of qid 13 + offset 8 + type 1 + name 2+1:
        // (qid(dir, 0, 0x10), offset 1, DT_DIR 4, ".") (qid(file, 0, 0x11), offset 2, DT_REG 8, "f")
        vector("3d000000 29 0400 32000000"
                + " 80 00000000 1000000000000000 0100000000000000 04 0100 2e"
                + " 00 00000000 1100000000000000 0200000000000000 08 0100 66", 4,
                new Rreaddir(List.of(new Dirent(new Qid(Qid.QTDIR, 0, 0x10), 1, Dirent.DT_DIR, "."),
                        new Dirent(new Qid(Qid.QTFILE, 0, 0x11), 2, Dirent.DT_REG, "f"))));
    }

    @Test
    void rlerror() throws ProtocolException {
        // size=11, type 7, tag 5, ecode ENOENT 2
        vector("0b000000 07 0500 02000000", 5, new Rlerror(Errno.ENOENT.code()));
    }

    @Test
    void twriteAndTfsync() throws ProtocolException {
        // size=25, type 118, tag 6, fid 3, offset 16, count 2, "hi"
        vector("19000000 76 0600 03000000 1000000000000000 02000000 6869", 6,
                new Twrite(3, 16, MessageSamples.bytes("hi")));
        // size=15, type 50, tag 7, fid 3, datasync 1: the form the Linux client sends
        vector("0f000000 32 0700 03000000 01000000", 7, new Tfsync(3, 1));
    }
}
