// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import dev.ninefs.protocol.ErrnoException;

/** What people read for the errnos they meet most. */
final class Strerror {
    private Strerror() {}

    static String of(ErrnoException e) {
        String text = switch (e.errno()) {
            case EPERM -> "operation not permitted";
            case ENOENT -> "no such file or directory";
            case EIO -> "input/output error";
            case EBADF -> "bad file descriptor";
            case EAGAIN -> "resource temporarily unavailable";
            case ENOMEM -> "out of memory";
            case EACCES -> "permission denied";
            case EEXIST -> "file exists";
            case EXDEV -> "cross-device link";
            case ENODEV -> "no such device";
            case ENOTDIR -> "not a directory";
            case EISDIR -> "is a directory";
            case EINVAL -> "invalid argument";
            case EMFILE -> "too many open files";
            case EFBIG -> "file too large";
            case ENOSPC -> "no space left on device";
            case EROFS -> "read-only file system";
            case EMLINK -> "too many links";
            case ENAMETOOLONG -> "file name too long";
            case ENOSYS -> "function not implemented";
            case ENOTEMPTY -> "directory not empty";
            case ELOOP -> "too many levels of symbolic links";
            case ENODATA -> "no data available";
            case EMSGSIZE -> "message too long";
            case EOPNOTSUPP -> "operation not supported";
            case ECONNREFUSED -> "connection refused";
            case ETIMEDOUT -> "timed out";
            case EDQUOT -> "disk quota exceeded";
            default -> null;
        };
        String name = e.errno().code() == e.code() ? e.errno().name() : "errno " + e.code();
        return text == null ? name : name + ", " + text;
    }
}
