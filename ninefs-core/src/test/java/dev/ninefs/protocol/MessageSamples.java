// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.protocol;

import static dev.ninefs.protocol.Message.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * At least one instance of every message, with values that catch sign, width and order mistakes: high bits set,
 * all-ones, non-ASCII names, empty strings and lists, maximal walks.
 */
final class MessageSamples {
    static final Qid DIR = new Qid(Qid.QTDIR, 7, 0x8000_0000_0000_0001L);
    static final Qid FILE = new Qid(Qid.QTFILE, -1, 42);
    static final Qid LINK = new Qid(Qid.QTSYMLINK | Qid.QTTMP, 0x8000_0000, -1L);

    private MessageSamples() {}

    static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static List<Message> all() {
        List<String> sixteen = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
                "p");
        List<Qid> sixteenQids = java.util.Collections.nCopies(16, FILE);
        return List.of(
                new Tstatfs(1),
                new Tlopen(2, Dotl.O_RDWR | Dotl.O_DIRECTORY | Dotl.O_CLOEXEC),
                new Tlcreate(3, "new file", Dotl.O_CREAT | Dotl.O_WRONLY, 0100644, -2),
                new Tsymlink(4, "link", "../target/ünïcødé", 100),
                new Tmknod(5, "fifo", 010644, 0xffff_ffff, 3, 0),
                new Trename(6, 7, "renamed"),
                new Treadlink(8),
                new Tgetattr(9, Dotl.GETATTR_ALL),
                new Tgetattr(9, -1L),
                new Tsetattr(10, Dotl.SETATTR_MODE | Dotl.SETATTR_SIZE, 0755, 1000, 1000, Long.MAX_VALUE, 1, 2, 3,
                        999_999_999),
                new Txattrwalk(11, 12, ""),
                new Txattrwalk(11, 12, "user.mime_type"),
                new Txattrcreate(13, "security.selinux", 1L << 40, Dotl.XATTR_CREATE),
                new Treaddir(14, Long.MIN_VALUE, 65536),
                new Tfsync(15, 1),
                new Tlock(16, Dotl.LOCK_TYPE_WRLCK, Dotl.LOCK_FLAGS_BLOCK, 0, 0, 4242, "host-a"),
                new Tgetlock(17, Dotl.LOCK_TYPE_RDLCK, 100, -1, 1, "ホスト"),
                new Tlink(18, 19, "hard"),
                new Tmkdir(20, "dir", 040755, 1),
                new Trenameat(21, "old", 22, "new"),
                new Tunlinkat(23, "gone", Dotl.AT_REMOVEDIR),
                new Tversion(1 << 20, "9P2000.L"),
                new Tauth(NOFID, "nobody", "", NONUNAME),
                new Tattach(0, NOFID, "root", "/srv/share", 0),
                new Tflush(0xfffe),
                new Twalk(1, 2, List.of()),
                new Twalk(1, 2, List.of("a", "ä", "😀")),
                new Twalk(1, 2, sixteen),
                new Tread(24, 1L << 33, 1 << 20),
                new Twrite(25, 4096, bytes("hello, world")),
                new Twrite(25, 0, ByteBuffer.allocate(0)),
                new Tclunk(26),
                new Tremove(27),

                new Rlerror(Errno.ENOENT.code()),
                new Rstatfs(0x01021994, 4096, 1L << 40, 1L << 39, 1L << 38, 1_000_000, 999_999, -7L, 255),
                new Rlopen(FILE, 0),
                new Rlcreate(FILE, 1 << 20),
                new Rsymlink(LINK),
                new Rmknod(FILE),
                new Rrename(),
                new Rreadlink("/a/b/ç"),
                new Rgetattr(Dotl.GETATTR_BASIC, DIR, 040755, 0, 0, 2, 0, 4096, 4096, 8, 1_700_000_000, 1,
                        1_700_000_001, 2, 1_700_000_002, 3, 0, 0, 0, Long.MIN_VALUE),
                new Rsetattr(),
                new Rxattrwalk(12),
                new Rxattrcreate(),
                new Rreaddir(List.of()),
                new Rreaddir(List.of(new Dirent(DIR, 1, Dirent.DT_DIR, "."), new Dirent(DIR, 2, Dirent.DT_DIR, ".."),
                        new Dirent(LINK, Long.MAX_VALUE, Dirent.DT_LNK, "ŝymlink"))),
                new Rfsync(),
                new Rlock(Dotl.LOCK_BLOCKED),
                new Rgetlock(Dotl.LOCK_TYPE_UNLCK, 0, 0, 0, ""),
                new Rlink(),
                new Rmkdir(DIR),
                new Rrenameat(),
                new Runlinkat(),
                new Rversion(8192, "9P2000.L"),
                new Rauth(new Qid(Qid.QTAUTH, 0, 0)),
                new Rattach(DIR),
                new Rflush(),
                new Rwalk(List.of()),
                new Rwalk(List.of(DIR, FILE)),
                new Rwalk(sixteenQids),
                new Rread(bytes("data")),
                new Rread(ByteBuffer.allocate(0)),
                new Rwrite(-1),
                new Rclunk(),
                new Rremove());
    }
}
