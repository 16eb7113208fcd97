// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import dev.ninefs.fs.FileSystem;
import dev.ninefs.fs.ceph.CephFileSystem;
import dev.ninefs.fs.local.LocalFileSystem;
import dev.ninefs.fs.synth.SynthFileSystem;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.qid.Multidevs;
import dev.ninefs.qid.QidMapper;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Opens the backend an export names with {@code fsdriver=}: local (default), synth or cephfs. */
final class Backends {
    static final String DRIVERS = "local, synth, cephfs";

    private Backends() {}

    static FileSystem open(ExportSpec spec) throws ErrnoException {
        return switch (spec.fsdriver()) {
            case "local" -> LocalFileSystem.open(spec.backendOptions());
            case "synth" -> synth(spec.backendOptions());
            case "cephfs" -> CephFileSystem.open(spec.backendOptions());
            default -> throw new IllegalArgumentException(
                    "fsdriver=" + spec.fsdriver() + " is not a backend; valid: " + DRIVERS);
        };
    }

    /**
     * How the export's files get their qids: {@code multidevs=} for a local export (warn by default, as QEMU); a
     * backend whose files are all on one device has no use for it, and saying it anyway is an error.
     */
    static QidMapper qids(ExportSpec spec) {
        Optional<Multidevs> multidevs = spec.multidevs();
        return switch (spec.fsdriver()) {
            case "local" -> multidevs.orElse(Multidevs.WARN).mapper(spec.tag());
            case "synth", "cephfs" -> {
                if (multidevs.isPresent()) {
                    throw new IllegalArgumentException("multidevs=" + multidevs.get().option()
                            + " does not apply to fsdriver=" + spec.fsdriver() + ": all its files are on one device. "
                            + "It is an option of fsdriver=local exports (valid values: " + Multidevs.VALID + ")");
                }
                yield QidMapper.inodes();
            }
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
