// SPDX-License-Identifier: Apache-2.0
/**
 * The {@code cephfs} backend: exports a directory of a CephFS through libcephfs (Debian's {@code libcephfs2}, Ceph
 * 16.2), called through FFM. All native code is in this package: {@code LibCephFs} holds the
 * downcall handles, probed once; the layout classes ({@code CephStatx}, {@code CephDirent}, {@code CephFlock},
 * {@code CephStatvfs}) hold the C structs' offsets.
 *
 * <p>Shape: one export ({@link dev.ninefs.fs.ceph.CephFileSystem}) is one Ceph client (a {@code CephMount}, a
 * {@code ceph_mount_info} whose state is tracked so that no call ever reaches a released handle) plus the
 * handle-based {@code ceph_ll_*} calls ({@code CephClient}). Nodes hold counted references to libcephfs inodes
 * ({@code InodeRef}, given back with {@code ceph_ll_put}), never paths; open files hold {@code Fh}s. The gateway acts
 * with its own identity; the security model ({@code Passthrough}, {@code MappedXattr}) decides where the client's
 * owners and modes live.
 *
 * <p>Errors: libcephfs returns {@code -errno} (it does not set errno); every call maps it to an
 * {@link dev.ninefs.protocol.ErrnoException}, and checks what libcephfs lets through but Linux refuses (names,
 * xattr namespaces and sizes, user xattrs on symlinks, rename into a non-directory, locks against the open mode).
 *
 * <p>Ceph 16.2 behaviours this package works around, each with a test in {@code CephQuirksTest}:
 * <ul>
 *   <li>libcephfs aborts the process (a failed assert in {@code Client::_update_lock_state}) when one lock owner's
 *       locks on a file are changed through two {@code Fh}s: each owner's locks on an inode go through one carrier
 *       file.</li>
 *   <li>{@code ceph_ll_write} appends under O_APPEND only at offset -1.</li>
 *   <li>Times set while the client holds exclusive caps stay dirty caps and hide the MDS's later mtime updates of a
 *       directory: setattr flushes them ({@code ceph_ll_sync_inode}).</li>
 *   <li>After a rename into another directory, the client keeps the source directory's old mtime and link count
 *       until it reads the directory: the source directory is read once.</li>
 *   <li>Loading libcephfs runs libceph-common's static initialisers, which need more stack than the 512 KiB that
 *       {@code bin/ninefs} gives Java threads (the JVM died with SIGSEGV in {@code Option::Option}): the library is
 *       loaded, and clients are created and mounted, on threads with a 16 MiB stack ({@code SetupStack}; the test is
 *       in {@code CephMountTest}, in a child JVM started with -Xss512k).</li>
 *   <li>{@code ceph_ll_create} needs O_CREAT; {@code ceph_mount} reports a missing path and a missing filesystem
 *       alike (ENOENT): a second mount of "/" tells them apart for the error message.</li>
 * </ul>
 *
 * <p>Threads: libcephfs serialises inside its client; any thread may call. Native calls pin a virtual thread's
 * carrier for their duration, which is a network round trip to the MDS when the client lacks the caps.
 */
package dev.ninefs.fs.ceph;
