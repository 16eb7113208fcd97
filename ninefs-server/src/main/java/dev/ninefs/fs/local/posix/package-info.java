// SPDX-License-Identifier: Apache-2.0
/**
 * Every native call of ninefs, through java.lang.foreign: Linux x86-64 with glibc. Downcall handles are static
 * final, every call captures errno ({@code captureCallState}) and throws
 * {@link dev.ninefs.protocol.ErrnoException}, and {@link dev.ninefs.fs.local.posix.Native#requireAvailable} fails
 * once, naming the {@code --enable-native-access} flag, when native access is not enabled.
 *
 * <p>Memory: each call allocates its arguments in a confined arena closed when the call returns; nothing native
 * outlives a call except descriptors, which {@link dev.ninefs.fs.local.posix.Fd} counts. Calls are short (one
 * syscall each); they pin a virtual thread's carrier only for that long.
 */
package dev.ninefs.fs.local.posix;
