// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How one local export behaves, as QEMU's {@code -fsdev local,...} options say it.
 *
 * @param securityModel where the client's ownership and modes are kept
 * @param readOnly every change fails with EROFS
 * @param fmode the host mode of regular files created under a mapped model (QEMU's default 0600)
 * @param dmode the host mode of directories created under a mapped model (QEMU's default 0700)
 * @param writeoutImmediate data is pushed to disk (fdatasync) after every write
 * @param readdirCache listings of large directories on local file systems are kept and served again until inotify
 *     reports a change ({@link ListingCache}); on by default
 */
public record LocalOptions(SecurityModel securityModel, boolean readOnly, int fmode, int dmode,
        boolean writeoutImmediate, boolean readdirCache) {
    public static final int DEFAULT_FMODE = 0600, DEFAULT_DMODE = 0700;

    /** The keys {@link #fromMap} accepts ({@code path} is the export root, which {@code LocalFileSystem} takes). */
    public static final Set<String> KEYS = Set.of("path", "security_model", "readonly", "fmode", "dmode", "writeout",
            "readdir_cache");

    public LocalOptions {
        if (securityModel == null) {
            throw new IllegalArgumentException("a local export needs security_model=" + validModels());
        }
        if ((fmode & ~07777) != 0 || (dmode & ~07777) != 0) {
            throw new IllegalArgumentException("fmode and dmode are permission bits, 0 to 07777");
        }
    }

    /** An export with this model and QEMU's defaults for the rest. */
    public static LocalOptions of(SecurityModel model) {
        return new LocalOptions(model, false, DEFAULT_FMODE, DEFAULT_DMODE, false, true);
    }

    public LocalOptions withReadOnly(boolean value) {
        return new LocalOptions(securityModel, value, fmode, dmode, writeoutImmediate, readdirCache);
    }

    public LocalOptions withWriteoutImmediate(boolean value) {
        return new LocalOptions(securityModel, readOnly, fmode, dmode, value, readdirCache);
    }

    public LocalOptions withReaddirCache(boolean value) {
        return new LocalOptions(securityModel, readOnly, fmode, dmode, writeoutImmediate, value);
    }

    /**
     * Reads QEMU-style options: {@code security_model} (required: passthrough, mapped-xattr, mapped-file, none;
     * mapped = mapped-xattr), {@code readonly=on|off}, {@code fmode=0600}, {@code dmode=0700} (octal, mapped
     * models only), {@code writeout=immediate}, {@code readdir_cache=on|off} (default on). A {@code path} key is allowed and ignored here (it is the root
     * the caller opens). Anything else is an IllegalArgumentException that names what is accepted.
     */
    public static LocalOptions fromMap(Map<String, String> options) {
        Map<String, String> rest = new LinkedHashMap<>(options);
        rest.remove("path");
        Set<String> unknown = new TreeSet<>(rest.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option" + (unknown.size() > 1 ? "s " : " ") + unknown
                    + " for a local export: valid options are " + new TreeSet<>(KEYS));
        }
        String modelText = rest.get("security_model");
        if (modelText == null) {
            throw new IllegalArgumentException("a local export needs security_model=" + validModels());
        }
        SecurityModel model = SecurityModel.parse(modelText);
        boolean readOnly = onOff("readonly", rest.getOrDefault("readonly", "off"));
        if ((rest.containsKey("fmode") || rest.containsKey("dmode")) && !model.mapped()) {
            throw new IllegalArgumentException("fmode and dmode are only valid with security_model=mapped-xattr or "
                    + "mapped-file (security_model=" + model.option() + " keeps the client's modes on the host)");
        }
        int fmode = octal("fmode", rest.get("fmode"), DEFAULT_FMODE);
        int dmode = octal("dmode", rest.get("dmode"), DEFAULT_DMODE);
        String writeout = rest.get("writeout");
        if (writeout != null && !writeout.equals("immediate")) {
            throw new IllegalArgumentException("writeout=" + writeout + ": the only valid value is immediate");
        }
        boolean readdirCache = onOff("readdir_cache", rest.getOrDefault("readdir_cache", "on"));
        return new LocalOptions(model, readOnly, fmode, dmode, writeout != null, readdirCache);
    }

    private static String validModels() {
        return "passthrough|mapped-xattr|mapped-file|none";
    }

    private static boolean onOff(String key, String value) {
        return switch (value) {
            case "on", "yes", "true", "1" -> true;
            case "off", "no", "false", "0" -> false;
            default -> throw new IllegalArgumentException(key + "=" + value + ": expected on or off");
        };
    }

    private static int octal(String key, String value, int defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        try {
            int mode = Integer.parseInt(value, 8);
            if (mode < 0 || mode > 07777) {
                throw new NumberFormatException();
            }
            return mode;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + ": expected octal permission bits 0 to 7777, "
                    + "e.g. " + key + "=" + (key.equals("fmode") ? "0600" : "0700"));
        }
    }
}
