// SPDX-License-Identifier: Apache-2.0
/**
 * The {@code local} backend: an export of a host directory, QEMU's {@code -fsdev local}, opened with
 * {@link dev.ninefs.fs.local.LocalFileSystem#open(java.nio.file.Path, dev.ninefs.fs.local.LocalOptions)} (or from
 * QEMU-style options, {@code path=...,security_model=...}).
 *
 * <p><b>Confinement.</b> No client path is ever given to the kernel to resolve. The root is opened once; every
 * node holds an O_PATH | O_NOFOLLOW descriptor of its own file; a lookup opens one checked name under its parent's
 * descriptor (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS, or openat O_NOFOLLOW);
 * symlinks are returned, never followed; ".." at the root is the root and any other ".." is checked to lie under
 * the root (by dev and inode). Calls that Linux offers only by name (rename, unlink, a symlink's xattrs, mapped-file
 * metadata) use the node's last known name, checked against its inode first. Everything else goes through the
 * node's descriptor: AT_EMPTY_PATH, or the /proc/self/fd magic link of a descriptor whose type was checked.
 *
 * <p><b>Security models</b> ({@link dev.ninefs.fs.local.SecurityModel}): passthrough and none keep the client's
 * owner and mode on the host; mapped-xattr and mapped-file keep them apart, in QEMU's own format, so exports move
 * between QEMU and ninefs.
 *
 * <p><b>Locks</b> are kept per owner in a table and mirrored into the kernel as open-file-description locks (see
 * {@code LockTable}). <b>Native calls</b> all live in {@code dev.ninefs.posix}.
 */
package dev.ninefs.fs.local;
