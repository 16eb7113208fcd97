// SPDX-License-Identifier: Apache-2.0
/**
 * The Linux system calls of ninefs, through java.lang.foreign (x86-64, glibc): the local backend's file calls, and
 * the server's zero-copy moves between a socket and a file (sendfile, splice through a pipe), which is why they
 * belong to neither (libcephfs has its own bindings in {@code fs.ceph}). Downcall handles are static final, every
 * call captures errno ({@code captureCallState}) and throws {@link dev.ninefs.protocol.ErrnoException}, and
 * {@link dev.ninefs.posix.Native#requireAvailable} fails once, naming the {@code --enable-native-access} flag, when
 * native access is not enabled.
 *
 * <p>Memory: each call allocates its arguments in a confined arena closed when the call returns; nothing native
 * outlives a call except descriptors, which {@link dev.ninefs.posix.Fd} counts. Calls are short (one
 * syscall each); they pin a virtual thread's carrier only for that long.
 */
package dev.ninefs.posix;
