// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The downcall handles of libcephfs.so.2 (Ceph 16.2, Debian's {@code libcephfs2}), probed once when the class loads.
 * Every handle is null when the library is missing; {@link #require()} turns that into one clear error, and nothing
 * calls a handle before a mount exists, which needs {@link #require()} to have passed.
 *
 * <p>C types: {@code int}, {@code unsigned}, {@code mode_t}, {@code uid_t}, {@code gid_t} are JAVA_INT;
 * {@code int64_t}, {@code uint64_t}, {@code size_t}, {@code off_t}, {@code dev_t} are JAVA_LONG; every pointer,
 * including the out-parameters ({@code Inode**}, {@code Fh**}...), is ADDRESS. libcephfs reports errors as negative
 * return values ({@code -errno}); it does not set errno, so no call state is captured.
 */
final class LibCephFs {
    static final String SONAME = "libcephfs.so.2";
    static final String MODULE_FLAG = "--enable-native-access=dev.ninefs.server (ALL-UNNAMED on the class path)";

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Optional<SymbolLookup> LIB = load();
    /** Why libcephfs cannot be used, or null when it can. */
    private static final String PROBLEM = problem();

    private static final FunctionDescriptor I_A = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    private static final FunctionDescriptor I_AA = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
    private static final FunctionDescriptor I_AAA = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
    private static final FunctionDescriptor I_AAAA =
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);

    // Setup and teardown.
    static final MethodHandle VERSION = handle("ceph_version", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle CREATE = handle("ceph_create", I_AA);
    static final MethodHandle CONF_READ_FILE = handle("ceph_conf_read_file", I_AA);
    static final MethodHandle CONF_SET = handle("ceph_conf_set", I_AAA);
    static final MethodHandle CONF_GET =
            handle("ceph_conf_get", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    static final MethodHandle SELECT_FILESYSTEM = handle("ceph_select_filesystem", I_AA);
    static final MethodHandle MOUNT = handle("ceph_mount", I_AA);
    static final MethodHandle UNMOUNT = handle("ceph_unmount", I_A);
    static final MethodHandle ABORT_CONN = handle("ceph_abort_conn", I_A);
    static final MethodHandle RELEASE = handle("ceph_release", I_A);
    static final MethodHandle USERPERM_NEW =
            handle("ceph_userperm_new", FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    static final MethodHandle USERPERM_DESTROY = handle("ceph_userperm_destroy", FunctionDescriptor.ofVoid(ADDRESS));

    // Inodes: lookups return a reference that ceph_ll_put gives back.
    static final MethodHandle LL_LOOKUP_ROOT = handle("ceph_ll_lookup_root", I_AA);
    /** (cmount, parent, name, Inode** out, statx*, want, flags, perms). */
    static final MethodHandle LL_LOOKUP = handle("ceph_ll_lookup", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS,
            ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    static final MethodHandle LL_PUT = handle("ceph_ll_put", I_AA);
    /** (cmount, in, statx*, want, flags, perms). */
    static final MethodHandle LL_GETATTR = handle("ceph_ll_getattr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    /** (cmount, in, statx*, mask, perms). */
    static final MethodHandle LL_SETATTR = handle("ceph_ll_setattr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));

    // Namespace.
    /** (cmount, parent, name, mode, oflags, Inode** out, Fh** fh, statx*, want, lflags, perms). */
    static final MethodHandle LL_CREATE = handle("ceph_ll_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS,
            ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    /** (cmount, parent, name, mode, rdev, Inode** out, statx*, want, flags, perms). */
    static final MethodHandle LL_MKNOD = handle("ceph_ll_mknod", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS,
            ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    /** (cmount, parent, name, mode, Inode** out, statx*, want, flags, perms). */
    static final MethodHandle LL_MKDIR = handle("ceph_ll_mkdir", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS,
            ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    /** (cmount, parent, name, target, Inode** out, statx*, want, flags, perms). */
    static final MethodHandle LL_SYMLINK = handle("ceph_ll_symlink", FunctionDescriptor.of(JAVA_INT, ADDRESS,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    /** (cmount, in, newparent, name, perms). */
    static final MethodHandle LL_LINK = handle("ceph_ll_link",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    /** (cmount, parent, name, newparent, newname, perms). */
    static final MethodHandle LL_RENAME = handle("ceph_ll_rename",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    /** (cmount, parent, name, perms). */
    static final MethodHandle LL_UNLINK = handle("ceph_ll_unlink", I_AAAA);
    static final MethodHandle LL_RMDIR = handle("ceph_ll_rmdir", I_AAAA);
    /** (cmount, in, buf, size, perms). */
    static final MethodHandle LL_READLINK = handle("ceph_ll_readlink",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    /** (cmount, in, struct statvfs*). */
    static final MethodHandle LL_STATFS = handle("ceph_ll_statfs", I_AAA);

    // File I/O.
    /** (cmount, in, flags, Fh** fh, perms). */
    static final MethodHandle LL_OPEN = handle("ceph_ll_open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
    /** (cmount, fh, offset, length, buf): bytes read. */
    static final MethodHandle LL_READ = handle("ceph_ll_read",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));
    /** (cmount, fh, offset, length, data): bytes written. */
    static final MethodHandle LL_WRITE = handle("ceph_ll_write",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));
    /** (cmount, fh, dataonly). */
    static final MethodHandle LL_FSYNC = handle("ceph_ll_fsync", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    /** (cmount, in, dataonly). */
    static final MethodHandle LL_SYNC_INODE =
            handle("ceph_ll_sync_inode", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle LL_CLOSE = handle("ceph_ll_close", I_AA);
    /** (cmount, fh, struct flock*, owner). */
    static final MethodHandle LL_GETLK =
            handle("ceph_ll_getlk", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    /** (cmount, fh, struct flock*, owner, sleep). */
    static final MethodHandle LL_SETLK =
            handle("ceph_ll_setlk", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));

    // Directories.
    /** (cmount, in, ceph_dir_result** out, perms). */
    static final MethodHandle LL_OPENDIR = handle("ceph_ll_opendir", I_AAAA);
    static final MethodHandle LL_RELEASEDIR = handle("ceph_ll_releasedir", I_AA);
    /** (cmount, dirp, struct dirent*): 1 = an entry, 0 = the end. */
    static final MethodHandle READDIR_R = handle("ceph_readdir_r", I_AAA);
    /** (cmount, dirp, struct dirent*, statx*, want, flags, Inode** out): as readdir_r, plus a reference. */
    static final MethodHandle READDIRPLUS_R = handle("ceph_readdirplus_r", FunctionDescriptor.of(JAVA_INT, ADDRESS,
            ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    static final MethodHandle SEEKDIR =
            handle("ceph_seekdir", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, JAVA_LONG));
    static final MethodHandle REWINDDIR = handle("ceph_rewinddir", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));

    // Extended attributes.
    /** (cmount, in, name, value, size, perms): the value's length. */
    static final MethodHandle LL_GETXATTR = handle("ceph_ll_getxattr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    /** (cmount, in, name, value, size, flags, perms). */
    static final MethodHandle LL_SETXATTR = handle("ceph_ll_setxattr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS));
    /** (cmount, in, list, size, size_t* listSize, perms): 0, the length in *listSize. */
    static final MethodHandle LL_LISTXATTR = handle("ceph_ll_listxattr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));
    /** (cmount, in, name, perms). */
    static final MethodHandle LL_REMOVEXATTR = handle("ceph_ll_removexattr", I_AAAA);

    private LibCephFs() {}

    /** Fails with the reason libcephfs cannot be used: the library is missing, or native access is not enabled. */
    static void require() throws ErrnoException {
        if (PROBLEM != null) {
            throw new ErrnoException(Errno.ENOSYS, PROBLEM);
        }
    }

    static boolean available() {
        return PROBLEM == null;
    }

    /** The library's version string, e.g. "16.2.15". */
    @SuppressWarnings("restricted") // the returned C string is static and NUL-terminated
    static String version() {
        try {
            var version = (MemorySegment) VERSION.invokeExact(MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL);
            return version.reinterpret(64).getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException("ceph_version", t);
        }
    }

    /** On a thread with a full-size stack: the library's static initialisers overflow a small one (SetupStack). */
    private static Optional<SymbolLookup> load() {
        return SetupStack.loadLibrary(SONAME);
    }

    private static String problem() {
        if (LIB.isEmpty()) {
            return "libcephfs is missing: " + SONAME + " was not found (Debian/Ubuntu: apt-get install libcephfs2)";
        }
        if (!LibCephFs.class.getModule().isNativeAccessEnabled()) {
            return "libcephfs needs native access: start the JVM with " + MODULE_FLAG;
        }
        return null;
    }

    @SuppressWarnings("restricted") // each descriptor mirrors the C prototype quoted above it
    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        if (LIB.isEmpty() || PROBLEM != null) {
            return null;
        }
        MemorySegment symbol = LIB.get().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError(SONAME + " has no symbol " + name + " (Ceph too old?)"));
        return LINKER.downcallHandle(symbol, descriptor);
    }
}
