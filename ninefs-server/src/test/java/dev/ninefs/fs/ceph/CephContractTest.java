// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import dev.ninefs.fs.BackendContract;
import dev.ninefs.fs.FileSystem;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The backend contract on a real CephFS, security model passthrough: each test gets a fresh directory of the
 * filesystem (mode 0777, 10 GiB quota) exported through its own libcephfs mount.
 *
 * <p>Features left out, and why: PERMISSIONS (the gateway acts with its own identity, as QEMU's local backend does,
 * and leaves permission checks to the client's kernel: a uid alone, without the client's groups, cannot be checked
 * honestly), XATTR_TRUSTED (its test needs PERMISSIONS), ATIME (CephFS does not update atime on reads),
 * STATFS_ACCOUNTING (a quota root's usage is the MDS's recursive statistics, propagated lazily).
 */
class CephContractTest extends BackendContract {
    static CephTestCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = CephTestCluster.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    protected CephOptions.SecurityModel securityModel() {
        return CephOptions.SecurityModel.PASSTHROUGH;
    }

    @Override
    protected FileSystem newFileSystem() throws Exception {
        String path = cluster.newDirectory("contract", 10L << 30);
        return CephFileSystem.open(cluster.options(path).withSecurityModel(securityModel()));
    }

    @Override
    protected FileSystem readOnlyView(FileSystem writable) throws Exception {
        return CephFileSystem.open(((CephFileSystem) writable).options().withReadOnly(true));
    }

    @Override
    protected Set<Feature> features() {
        return EnumSet.of(Feature.OWNERSHIP, Feature.ROOT, Feature.SPECIAL_FILES, Feature.DEVICES,
                Feature.XATTR_USER, Feature.LOCKS, Feature.BTIME, Feature.NANOSECONDS, Feature.XDEV);
    }
}
