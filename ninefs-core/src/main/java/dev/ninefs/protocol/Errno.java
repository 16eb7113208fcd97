// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.protocol;

/** Linux errno values, as 9P2000.L carries them in Rlerror. */
public enum Errno {
    EPERM(1), ENOENT(2), ESRCH(3), EINTR(4), EIO(5), ENXIO(6), E2BIG(7), ENOEXEC(8), EBADF(9),
    ECHILD(10), EAGAIN(11), ENOMEM(12), EACCES(13), EFAULT(14), ENOTBLK(15), EBUSY(16), EEXIST(17),
    EXDEV(18), ENODEV(19), ENOTDIR(20), EISDIR(21), EINVAL(22), ENFILE(23), EMFILE(24), ENOTTY(25),
    ETXTBSY(26), EFBIG(27), ENOSPC(28), ESPIPE(29), EROFS(30), EMLINK(31), EPIPE(32), EDOM(33),
    ERANGE(34), EDEADLK(35), ENAMETOOLONG(36), ENOLCK(37), ENOSYS(38), ENOTEMPTY(39), ELOOP(40),
    ENOMSG(42), EIDRM(43), ENOSTR(60), ENODATA(61), ETIME(62), EPROTO(71), EBADMSG(74),
    EOVERFLOW(75), EILSEQ(84), EUSERS(87), ENOTSOCK(88), EMSGSIZE(90), EPROTONOSUPPORT(93),
    EOPNOTSUPP(95), EAFNOSUPPORT(97), EADDRINUSE(98), EADDRNOTAVAIL(99), ENETDOWN(100),
    ENETUNREACH(101), ECONNABORTED(103), ECONNRESET(104), ENOBUFS(105), EISCONN(106),
    ENOTCONN(107), ETIMEDOUT(110), ECONNREFUSED(111), EHOSTUNREACH(113), EALREADY(114),
    EINPROGRESS(115), ESTALE(116), EDQUOT(122), ECANCELED(125), EOWNERDEAD(130);

    /** ENODATA's other name, used by the xattr calls. */
    public static final Errno ENOATTR = ENODATA;
    /** EOPNOTSUPP's other name. */
    public static final Errno ENOTSUP = EOPNOTSUPP;
    /** EAGAIN's other name. */
    public static final Errno EWOULDBLOCK = EAGAIN;

    private static final Errno[] BY_CODE = new Errno[256];

    static {
        for (Errno e : values()) {
            BY_CODE[e.code] = e;
        }
    }

    private final int code;

    Errno(int code) {
        this.code = code;
    }

    /** The Linux number. */
    public int code() {
        return code;
    }

    /** The errno with this Linux number, or EIO for a number we do not know. */
    public static Errno of(int code) {
        Errno e = code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        return e == null ? EIO : e;
    }

    /** Whether {@link #of} knows this number exactly. */
    public static boolean known(int code) {
        return code > 0 && code < BY_CODE.length && BY_CODE[code] != null;
    }
}
