// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * The contract every backend keeps: extend it, say how to make a fresh export and what the backend supports, and
 * every {@link Node} and {@link OpenFile} operation is checked against what a local Linux file system does, errnos
 * included. It reaches nothing but the SPI, so it can run over any backend, and over the server and client.
 *
 * <p>The tests act as {@link #owner()} (a non-root user by default) in the root of {@link #newFileSystem()}, and
 * as {@link #stranger()} for the permission checks. A backend that cannot behave as a non-root user (it runs as
 * root and does not switch identity, or maps every file to its own user) leaves out {@link Feature#PERMISSIONS}
 * and {@link Feature#OWNERSHIP}, or makes {@link #owner()} root. Tests of a missing feature are skipped, and so are
 * the tests named in {@link #knownDifferences()}.
 *
 * <p>The tests live in small groups, one {@code *Contract} class per area (walk, attributes, I/O, create, remove,
 * rename, readdir, xattrs, locks, statfs, read-only, concurrency), stacked in one line of inheritance that ends
 * here, so that every test is a method of the backend's own test class: surefire's {@code -Dtest=} filter and its
 * reports then name that class. Test names are unique across the groups.
 */
public abstract class BackendContract extends ConcurrencyContract {

    /** What a backend may lack; each test that needs one is skipped without it. */
    public enum Feature {
        /** New files report the creating user's uid and the gid passed to create; getattr reports chown's ids. */
        OWNERSHIP,
        /** Permission bits are enforced for non-root users: EACCES, and EPERM for chmod/chown/utimes of others. */
        PERMISSIONS,
        /** Attaching as uid 0 acts as root: bypasses permission bits, may chown to any ids, sees trusted xattrs. */
        ROOT,
        /** mknod of FIFOs, sockets and regular files. */
        SPECIAL_FILES,
        /** mknod of character and block devices (by root). */
        DEVICES,
        /** Extended attributes in the "user." namespace. */
        XATTR_USER,
        /** Extended attributes in the "trusted." namespace, root's alone. */
        XATTR_TRUSTED,
        /** POSIX byte-range locks (lock and getlock). */
        LOCKS,
        /** Reads update atime (at least as relatime does). */
        ATIME,
        /** getattr reports the birth time. */
        BTIME,
        /** Explicit timestamps keep their nanoseconds exactly. */
        NANOSECONDS,
        /** statfs free space falls as data is written. */
        STATFS_ACCOUNTING,
        /** A second {@link #newFileSystem()} is another export: link and rename across them are EXDEV. */
        XDEV,
    }

    /** For the backends' test classes. */
    protected BackendContract() {}

    /**
     * A fresh, empty, writable export whose root directory {@link #owner()} may search and write into (mode 0777 or
     * owned by that user). Called once per test; closed by the test after every node is closed.
     */
    protected abstract FileSystem newFileSystem() throws Exception;

    /**
     * A read-only export of the same files as {@code writable} (another aname of the same tree), or null when the
     * backend has no such thing: the read-only tests are then skipped.
     */
    protected FileSystem readOnlyView(FileSystem writable) throws Exception {
        return null;
    }

    /** The features this backend has; all by default. */
    protected Set<Feature> features() {
        return EnumSet.allOf(Feature.class);
    }

    /**
     * Tests to skip, as "method" or "GroupContract.method" (a checked-in list of known differences, with reasons
     * next to it in the subclass).
     */
    protected Set<String> knownDifferences() {
        return Set.of();
    }

    /** The user the tests act as. */
    protected User owner() {
        return new User(1000, "alice");
    }

    /** The group the tests create files with. */
    protected int gid() {
        return 1000;
    }

    /** Another user, neither the owner nor in its group, for the permission checks. */
    protected User stranger() {
        return new User(1001, "bob");
    }

    /** A group {@link #owner()} is not in, for chown by root. */
    protected int otherGid() {
        return 1001;
    }

    private ContractFixture fixture;

    @BeforeEach
    final void openBackend(TestInfo test) throws Exception {
        fixture = new ContractFixture(this, test);
    }

    @AfterEach
    final void closeBackend() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Override
    protected final ContractFixture fx() {
        return fixture;
    }
}
