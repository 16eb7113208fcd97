// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.protocol;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Every 9P2000.L message, one record each, named as in the spec so that they can be grepped against it.
 *
 * <p>Field widths follow the wire: u8 and u16 fields are {@code int} holding the unsigned value, u32 fields are
 * {@code int} (read them with {@link Integer#toUnsignedLong} where the full range matters: counts, modes and ids),
 * u64 fields are {@code long}. The tag is not part of a message: it travels beside it in a {@link Frame}.
 *
 * <p>{@link ByteBuffer} payloads ({@link Twrite#data}, {@link Rread#data}) are slices: a decoded one
 * shares the frame's memory and is valid only as long as the frame (see the package documentation).
 */
public sealed interface Message permits Message.Request, Message.Response {

    /** The message type byte. */
    int type();

    /** T-messages: what a client sends. */
    sealed interface Request extends Message
            permits Tstatfs, Tlopen, Tlcreate, Tsymlink, Tmknod, Trename, Treadlink, Tgetattr, Tsetattr,
                    Txattrwalk, Txattrcreate, Treaddir, Tfsync, Tlock, Tgetlock, Tlink, Tmkdir, Trenameat,
                    Tunlinkat, Tversion, Tauth, Tattach, Tflush, Twalk, Tread, Twrite, Tclunk, Tremove {}

    /** R-messages: what a server answers. */
    sealed interface Response extends Message
            permits Rlerror, Rstatfs, Rlopen, Rlcreate, Rsymlink, Rmknod, Rrename, Rreadlink, Rgetattr,
                    Rsetattr, Rxattrwalk, Rxattrcreate, Rreaddir, Rfsync, Rlock, Rgetlock, Rlink, Rmkdir,
                    Rrenameat, Runlinkat, Rversion, Rauth, Rattach, Rflush, Rwalk, Rread, Rwrite, Rclunk,
                    Rremove {}

    // Type numbers, from the Linux kernel's include/net/9p/9p.h.
    int TLERROR = 6, RLERROR = 7;
    int TSTATFS = 8, RSTATFS = 9;
    int TLOPEN = 12, RLOPEN = 13;
    int TLCREATE = 14, RLCREATE = 15;
    int TSYMLINK = 16, RSYMLINK = 17;
    int TMKNOD = 18, RMKNOD = 19;
    int TRENAME = 20, RRENAME = 21;
    int TREADLINK = 22, RREADLINK = 23;
    int TGETATTR = 24, RGETATTR = 25;
    int TSETATTR = 26, RSETATTR = 27;
    int TXATTRWALK = 30, RXATTRWALK = 31;
    int TXATTRCREATE = 32, RXATTRCREATE = 33;
    int TREADDIR = 40, RREADDIR = 41;
    int TFSYNC = 50, RFSYNC = 51;
    int TLOCK = 52, RLOCK = 53;
    int TGETLOCK = 54, RGETLOCK = 55;
    int TLINK = 70, RLINK = 71;
    int TMKDIR = 72, RMKDIR = 73;
    int TRENAMEAT = 74, RRENAMEAT = 75;
    int TUNLINKAT = 76, RUNLINKAT = 77;
    int TVERSION = 100, RVERSION = 101;
    int TAUTH = 102, RAUTH = 103;
    int TATTACH = 104, RATTACH = 105;
    int TFLUSH = 108, RFLUSH = 109;
    int TWALK = 110, RWALK = 111;
    int TREAD = 116, RREAD = 117;
    int TWRITE = 118, RWRITE = 119;
    int TCLUNK = 120, RCLUNK = 121;
    int TREMOVE = 122, RREMOVE = 123;

    /** The tag of Tversion and its reply. */
    int NOTAG = 0xffff;
    /** "No fid", e.g. the afid of an attach without authentication. */
    int NOFID = 0xffffffff;
    /** n_uname when the client sends none. */
    int NONUNAME = 0xffffffff;
    /** The most names one Twalk may carry. */
    int MAXWELEM = 16;

    // ---- requests -------------------------------------------------------------------------------------------

    /** statfs: fid[4]. */
    record Tstatfs(int fid) implements Request {
        public int type() { return TSTATFS; }
    }

    /** lopen: fid[4] flags[4] (Linux open flags, see {@link Dotl}). */
    record Tlopen(int fid, int flags) implements Request {
        public int type() { return TLOPEN; }
    }

    /** lcreate: fid[4] name[s] flags[4] mode[4] gid[4]. On success fid is the new file, open. */
    record Tlcreate(int fid, String name, int flags, int mode, int gid) implements Request {
        public int type() { return TLCREATE; }
    }

    /** symlink: fid[4] name[s] symtgt[s] gid[4]. */
    record Tsymlink(int fid, String name, String symtgt, int gid) implements Request {
        public int type() { return TSYMLINK; }
    }

    /** mknod: dfid[4] name[s] mode[4] major[4] minor[4] gid[4]. */
    record Tmknod(int dfid, String name, int mode, int major, int minor, int gid) implements Request {
        public int type() { return TMKNOD; }
    }

    /** rename: fid[4] dfid[4] name[s]. */
    record Trename(int fid, int dfid, String name) implements Request {
        public int type() { return TRENAME; }
    }

    /** readlink: fid[4]. */
    record Treadlink(int fid) implements Request {
        public int type() { return TREADLINK; }
    }

    /** getattr: fid[4] request_mask[8] (see {@link Dotl#GETATTR_ALL} for the mask bits). */
    record Tgetattr(int fid, long requestMask) implements Request {
        public int type() { return TGETATTR; }
    }

    /**
     * setattr: fid[4] valid[4] mode[4] uid[4] gid[4] size[8] atime_sec[8] atime_nsec[8] mtime_sec[8]
     * mtime_nsec[8] (see {@link Dotl#SETATTR_MODE} for the valid bits).
     */
    record Tsetattr(int fid, int valid, int mode, int uid, int gid, long size, long atimeSec, long atimeNsec,
            long mtimeSec, long mtimeNsec) implements Request {
        public int type() { return TSETATTR; }
    }

    /** xattrwalk: fid[4] newfid[4] name[s]. An empty name lists the attribute names. */
    record Txattrwalk(int fid, int newfid, String name) implements Request {
        public int type() { return TXATTRWALK; }
    }

    /** xattrcreate: fid[4] name[s] attr_size[8] flags[4]. The value follows in Twrite on fid; set at Tclunk. */
    record Txattrcreate(int fid, String name, long attrSize, int flags) implements Request {
        public int type() { return TXATTRCREATE; }
    }

    /** readdir: fid[4] offset[8] count[4]. */
    record Treaddir(int fid, long offset, int count) implements Request {
        public int type() { return TREADDIR; }
    }

    /** fsync: fid[4] datasync[4]. (The Linux client sends datasync; older texts of the spec omit it.) */
    record Tfsync(int fid, int datasync) implements Request {
        public int type() { return TFSYNC; }
    }

    /** lock: fid[4] type[1] flags[4] start[8] length[8] proc_id[4] client_id[s]. See {@link Dotl#LOCK_SUCCESS}. */
    record Tlock(int fid, int lockType, int flags, long start, long length, int procId, String clientId)
            implements Request {
        public int type() { return TLOCK; }
    }

    /** getlock: fid[4] type[1] start[8] length[8] proc_id[4] client_id[s]. */
    record Tgetlock(int fid, int lockType, long start, long length, int procId, String clientId)
            implements Request {
        public int type() { return TGETLOCK; }
    }

    /** link: dfid[4] fid[4] name[s]. */
    record Tlink(int dfid, int fid, String name) implements Request {
        public int type() { return TLINK; }
    }

    /** mkdir: dfid[4] name[s] mode[4] gid[4]. */
    record Tmkdir(int dfid, String name, int mode, int gid) implements Request {
        public int type() { return TMKDIR; }
    }

    /** renameat: olddirfid[4] oldname[s] newdirfid[4] newname[s]. */
    record Trenameat(int olddirfid, String oldname, int newdirfid, String newname) implements Request {
        public int type() { return TRENAMEAT; }
    }

    /** unlinkat: dirfd[4] name[s] flags[4] (AT_REMOVEDIR = 0x200). */
    record Tunlinkat(int dirfid, String name, int flags) implements Request {
        public int type() { return TUNLINKAT; }
    }

    /** version: msize[4] version[s]. */
    record Tversion(int msize, String version) implements Request {
        public int type() { return TVERSION; }
    }

    /** auth: afid[4] uname[s] aname[s] n_uname[4]. */
    record Tauth(int afid, String uname, String aname, int nUname) implements Request {
        public int type() { return TAUTH; }
    }

    /** attach: fid[4] afid[4] uname[s] aname[s] n_uname[4]. */
    record Tattach(int fid, int afid, String uname, String aname, int nUname) implements Request {
        public int type() { return TATTACH; }
    }

    /** flush: oldtag[2]. */
    record Tflush(int oldtag) implements Request {
        public int type() { return TFLUSH; }
    }

    /** walk: fid[4] newfid[4] nwname[2] nwname*(wname[s]). */
    record Twalk(int fid, int newfid, List<String> wnames) implements Request {
        public Twalk {
            wnames = List.copyOf(wnames);
        }

        public int type() { return TWALK; }
    }

    /** read: fid[4] offset[8] count[4]. */
    record Tread(int fid, long offset, int count) implements Request {
        public int type() { return TREAD; }
    }

    /** write: fid[4] offset[8] count[4] data[count]. {@code data} holds exactly count bytes. */
    record Twrite(int fid, long offset, ByteBuffer data) implements Request {
        public int type() { return TWRITE; }
    }

    /** clunk: fid[4]. */
    record Tclunk(int fid) implements Request {
        public int type() { return TCLUNK; }
    }

    /** remove: fid[4]. */
    record Tremove(int fid) implements Request {
        public int type() { return TREMOVE; }
    }

    // ---- responses ------------------------------------------------------------------------------------------

    /** lerror: ecode[4], a Linux errno. */
    record Rlerror(int ecode) implements Response {
        public int type() { return RLERROR; }
    }

    /** statfs: type[4] bsize[4] blocks[8] bfree[8] bavail[8] files[8] ffree[8] fsid[8] namelen[4]. */
    record Rstatfs(int fsType, int bsize, long blocks, long bfree, long bavail, long files, long ffree, long fsid,
            int namelen) implements Response {
        public int type() { return RSTATFS; }
    }

    /** lopen: qid[13] iounit[4]. */
    record Rlopen(Qid qid, int iounit) implements Response {
        public int type() { return RLOPEN; }
    }

    /** lcreate: qid[13] iounit[4]. */
    record Rlcreate(Qid qid, int iounit) implements Response {
        public int type() { return RLCREATE; }
    }

    /** symlink: qid[13]. */
    record Rsymlink(Qid qid) implements Response {
        public int type() { return RSYMLINK; }
    }

    /** mknod: qid[13]. */
    record Rmknod(Qid qid) implements Response {
        public int type() { return RMKNOD; }
    }

    /** rename: empty. */
    record Rrename() implements Response {
        public int type() { return RRENAME; }
    }

    /** readlink: target[s]. */
    record Rreadlink(String target) implements Response {
        public int type() { return RREADLINK; }
    }

    /**
     * getattr: valid[8] qid[13] mode[4] uid[4] gid[4] nlink[8] rdev[8] size[8] blksize[8] blocks[8]
     * atime_sec[8] atime_nsec[8] mtime_sec[8] mtime_nsec[8] ctime_sec[8] ctime_nsec[8] btime_sec[8]
     * btime_nsec[8] gen[8] data_version[8].
     */
    record Rgetattr(long valid, Qid qid, int mode, int uid, int gid, long nlink, long rdev, long size, long blksize,
            long blocks, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec, long ctimeSec,
            long ctimeNsec, long btimeSec, long btimeNsec, long gen, long dataVersion) implements Response {
        public int type() { return RGETATTR; }
    }

    /** setattr: empty. */
    record Rsetattr() implements Response {
        public int type() { return RSETATTR; }
    }

    /** xattrwalk: size[8], the value's (or the name list's) length; read it from newfid with Tread. */
    record Rxattrwalk(long size) implements Response {
        public int type() { return RXATTRWALK; }
    }

    /** xattrcreate: empty. */
    record Rxattrcreate() implements Response {
        public int type() { return RXATTRCREATE; }
    }

    /** readdir: count[4] data[count], the entries packed as qid[13] offset[8] type[1] name[s]. */
    record Rreaddir(List<Dirent> entries) implements Response {
        public Rreaddir {
            entries = List.copyOf(entries);
        }

        public int type() { return RREADDIR; }
    }

    /** fsync: empty. */
    record Rfsync() implements Response {
        public int type() { return RFSYNC; }
    }

    /** lock: status[1]. See {@link Dotl#LOCK_SUCCESS}. */
    record Rlock(int status) implements Response {
        public int type() { return RLOCK; }
    }

    /** getlock: type[1] start[8] length[8] proc_id[4] client_id[s]. */
    record Rgetlock(int lockType, long start, long length, int procId, String clientId) implements Response {
        public int type() { return RGETLOCK; }
    }

    /** link: empty. */
    record Rlink() implements Response {
        public int type() { return RLINK; }
    }

    /** mkdir: qid[13]. */
    record Rmkdir(Qid qid) implements Response {
        public int type() { return RMKDIR; }
    }

    /** renameat: empty. */
    record Rrenameat() implements Response {
        public int type() { return RRENAMEAT; }
    }

    /** unlinkat: empty. */
    record Runlinkat() implements Response {
        public int type() { return RUNLINKAT; }
    }

    /** version: msize[4] version[s]. */
    record Rversion(int msize, String version) implements Response {
        public int type() { return RVERSION; }
    }

    /** auth: aqid[13]. */
    record Rauth(Qid aqid) implements Response {
        public int type() { return RAUTH; }
    }

    /** attach: qid[13]. */
    record Rattach(Qid qid) implements Response {
        public int type() { return RATTACH; }
    }

    /** flush: empty. */
    record Rflush() implements Response {
        public int type() { return RFLUSH; }
    }

    /** walk: nwqid[2] nwqid*(qid[13]). */
    record Rwalk(List<Qid> qids) implements Response {
        public Rwalk {
            qids = List.copyOf(qids);
        }

        public int type() { return RWALK; }
    }

    /** read: count[4] data[count]. {@code data} holds exactly count bytes (position to limit). */
    record Rread(ByteBuffer data) implements Response {
        public int type() { return RREAD; }
    }

    /** write: count[4]. */
    record Rwrite(int count) implements Response {
        public int type() { return RWRITE; }
    }

    /** clunk: empty. */
    record Rclunk() implements Response {
        public int type() { return RCLUNK; }
    }

    /** remove: empty. */
    record Rremove() implements Response {
        public int type() { return RREMOVE; }
    }
}
