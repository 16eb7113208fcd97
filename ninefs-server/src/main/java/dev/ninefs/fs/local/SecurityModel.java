// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a local export stores the client's ownership and modes, with QEMU's names for the choices. */
public enum SecurityModel {
    /** Host files carry the client's uid, gid and mode (the server chowns after creating, so it runs as root). */
    PASSTHROUGH("passthrough"),
    /** The client's uid, gid, mode and rdev live in {@code user.virtfs.*} xattrs; host files stay the server's. */
    MAPPED_XATTR("mapped-xattr"),
    /** The same metadata in hidden {@code .virtfs_metadata} files, one per name, in each directory. */
    MAPPED_FILE("mapped-file"),
    /** Passthrough that ignores failures to set ownership and mode (for a server that is not root). */
    NONE("none");

    private final String option;

    SecurityModel(String option) {
        this.option = option;
    }

    /** The value of {@code security_model=} that selects this model. */
    public String option() {
        return option;
    }

    /** Whether the client's metadata is kept apart from the host file's own. */
    public boolean mapped() {
        return this == MAPPED_XATTR || this == MAPPED_FILE;
    }

    /** The model {@code security_model=value} names; {@code mapped} is QEMU's older name of mapped-xattr. */
    public static SecurityModel parse(String value) {
        if ("mapped".equals(value)) {
            return MAPPED_XATTR;
        }
        for (SecurityModel m : values()) {
            if (m.option.equals(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException("security_model=" + value + " is not a security model: expected one of "
                + Arrays.stream(values()).map(SecurityModel::option).collect(Collectors.joining(", "))
                + " (or mapped, for mapped-xattr)");
    }
}
