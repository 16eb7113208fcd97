// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import dev.ninefs.client.RemoteFile;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.io.IOException;
import java.util.List;

/**
 * Removes a directory entry the way the Linux client does: Tunlinkat, and for servers that answer it with
 * EOPNOTSUPP (diod does), Twalk to the entry and Tremove. Unlike Linux, which tries Tunlinkat again every time,
 * this remembers the answer, so such a server pays one extra round trip per removal, not two.
 */
final class Unlinker {
    private volatile boolean unlinkatUnsupported;

    void unlink(RemoteFile dir, String name, int flags) throws IOException {
        if (!unlinkatUnsupported) {
            try {
                dir.unlinkat(name, flags);
                return;
            } catch (ErrnoException e) {
                if (e.code() != Errno.EOPNOTSUPP.code()) {
                    throw e;
                }
                unlinkatUnsupported = true;
            }
        }
        dir.walk(List.of(name)).remove();
    }
}
