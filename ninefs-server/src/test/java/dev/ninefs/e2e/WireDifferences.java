// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.e2e;

import java.util.Set;

/** What the backend contract expects that 9P2000.L itself cannot carry, whatever the server does. */
final class WireDifferences {
    private WireDifferences() {}

    static final Set<String> ALL = Set.of(
            // Txattrcreate with attr_size 0 is how the Linux client removes an xattr (removexattr sends it), so the
            // server removes, as QEMU does: an empty value cannot be set over 9P2000.L.
            "emptyAndBinaryValuesAreKept");
}
