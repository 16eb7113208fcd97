// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

/**
 * Who holds a POSIX byte-range lock: a process (procId) of a client (clientId, the client's host name) on one
 * connection. Locks of the same owner never conflict with each other, as for one process under POSIX.
 */
public record LockOwner(long connection, int procId, String clientId) {}
