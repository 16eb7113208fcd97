// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import dev.ninefs.fs.FileSystem;
import dev.ninefs.fs.ceph.CephFileSystem;
import dev.ninefs.fs.local.LocalFileSystem;
import dev.ninefs.fs.synth.SynthFileSystem;
import dev.ninefs.protocol.ErrnoException;
import java.util.Map;
import java.util.Set;

/** Opens the backend an export names with {@code fsdriver=}: local (default), synth or cephfs. */
final class Backends {
    static final String DRIVERS = "local, synth, cephfs";

    private Backends() {}

    static FileSystem open(ExportSpec spec) throws ErrnoException {
        return switch (spec.fsdriver()) {
            case "local" -> LocalFileSystem.open(spec.options());
            case "synth" -> synth(spec.options());
            case "cephfs" -> CephFileSystem.open(spec.options());
            default -> throw new IllegalArgumentException(
                    "fsdriver=" + spec.fsdriver() + " is not a backend; valid: " + DRIVERS);
        };
    }

    /** An in-memory export: {@code size=BYTES} (default 1 GiB) and {@code readonly}. */
    private static FileSystem synth(Map<String, String> options) {
        for (String key : options.keySet()) {
            if (!Set.of("size", "readonly").contains(key)) {
                throw new IllegalArgumentException("synth export option '" + key + "' unknown; valid: size, readonly");
            }
        }
        SynthFileSystem.Builder builder = SynthFileSystem.builder();
        String size = options.get("size");
        if (size != null) {
            builder.capacity(Sizes.parse(size));
        }
        return builder.build();
    }
}
