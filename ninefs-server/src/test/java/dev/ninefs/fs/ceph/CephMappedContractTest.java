// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

/**
 * The backend contract on a real CephFS with the mapped-xattr security model: the client's owners, modes, file
 * types and device numbers live in user.virtfs.* xattrs of files that belong to the gateway.
 */
class CephMappedContractTest extends CephContractTest {
    @Override
    protected CephOptions.SecurityModel securityModel() {
        return CephOptions.SecurityModel.MAPPED_XATTR;
    }
}
