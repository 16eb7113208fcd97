// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.qid;

import java.util.Locale;

/**
 * What an export does about files on devices other than its root's (QEMU's {@code multidevs} option, same names and
 * default). Their inode numbers, which become the client's, may be equal to those of the root's device.
 */
public enum Multidevs {
    /** Unique qid.paths for every (device, inode): {@link QidPaths}. */
    REMAP,
    /** Files on other devices fail with ENODEV. */
    FORBID,
    /** Raw inode numbers; one warning the first time another device shows up. The default. */
    WARN;

    /** The option's valid values, as an error message names them. */
    public static final String VALID = "remap, forbid, warn";

    /** Parses an option value; IllegalArgumentException naming the valid values otherwise. */
    public static Multidevs parse(String value) {
        return switch (value) {
            case "remap" -> REMAP;
            case "forbid" -> FORBID;
            case "warn" -> WARN;
            default -> throw new IllegalArgumentException("multidevs=" + value + " is not valid; valid values: "
                    + VALID);
        };
    }

    /**
     * A new mapper applying this policy to the export named {@code export}, which its messages (logger
     * {@code dev.ninefs.qid}) name.
     */
    public QidMapper mapper(String export) {
        return mapper(export, System.getLogger(QidMapper.class.getPackageName()));
    }

    /** As {@link #mapper(String)}, logging to {@code log}. */
    QidMapper mapper(String export, System.Logger log) {
        return switch (this) {
            case REMAP -> new RemapQidMapper(export, log);
            case FORBID -> new ForbidQidMapper(export, log);
            case WARN -> new WarnQidMapper(export, log);
        };
    }

    /** The option value: remap, forbid or warn. */
    public String option() {
        return name().toLowerCase(Locale.ROOT);
    }
}
