// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Who this process runs as, for defaults: the uid a client attaches with, the security model of serve. */
final class Identity {
    private Identity() {}

    /** The effective uid (the owner of /proc/self), or -1 when it cannot be known. */
    static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }

    static String userName() {
        return System.getProperty("user.name", "");
    }
}
