// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach and export a CephFS, in the export syntax QEMU users know:
 * {@code fsdriver=cephfs,conf=/etc/ceph/ceph.conf,id=admin,fs=cephfs,path=/volumes/x,security_model=passthrough}.
 *
 * @param conf the Ceph configuration file, or null for Ceph's default search ($CEPH_CONF, /etc/ceph/ceph.conf...)
 * @param id the client id without "client." (e.g. "admin"), or null for Ceph's default
 * @param keyfile a file holding the client's secret key, or null
 * @param keyring a keyring file, or null
 * @param fsName the filesystem to mount, or null for the cluster's default one
 * @param path the directory inside CephFS that is the root of the export (absolute, "/" by default)
 * @param securityModel how client ownership and modes are stored
 * @param mountTimeout how long to wait for the cluster before giving up
 * @param readOnly whether the export refuses every change
 * @param fmode with mapped-xattr, the permission bits of regular files on CephFS (the client's mode is in xattrs)
 * @param dmode with mapped-xattr, the permission bits of directories on CephFS
 */
public record CephOptions(Path conf, String id, Path keyfile, Path keyring, String fsName, String path,
        SecurityModel securityModel, Duration mountTimeout, boolean readOnly, int fmode, int dmode) {

    /** QEMU's security models that this backend implements. */
    public enum SecurityModel {
        /** Files carry the client's uid, gid and mode; ownership is set on each created file. */
        PASSTHROUGH("passthrough"),
        /** As passthrough, but failures to set ownership or mode on created files are ignored. */
        NONE("none"),
        /** Files belong to the gateway; the client's uid, gid, mode and rdev live in user.virtfs.* xattrs. */
        MAPPED_XATTR("mapped-xattr");

        private final String key;

        SecurityModel(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** Every key {@link #fromMap} accepts, with what it means. */
    public static final Map<String, String> KEYS = keys();

    public static final Duration DEFAULT_MOUNT_TIMEOUT = Duration.ofSeconds(10);

    public CephOptions {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(securityModel, "securityModel");
        Objects.requireNonNull(mountTimeout, "mountTimeout");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("cephfs: path must be absolute inside CephFS: " + path);
        }
        if (mountTimeout.isNegative() || mountTimeout.isZero()) {
            throw new IllegalArgumentException("cephfs: mount_timeout must be positive");
        }
    }

    /** The defaults: Ceph's default configuration and client, the whole default filesystem, passthrough. */
    public static CephOptions defaults() {
        return new CephOptions(null, null, null, null, null, "/", SecurityModel.PASSTHROUGH, DEFAULT_MOUNT_TIMEOUT,
                false, 0600, 0700);
    }

    /** The same options exporting {@code newPath} of the filesystem. */
    public CephOptions withPath(String newPath) {
        return new CephOptions(conf, id, keyfile, keyring, fsName, newPath, securityModel, mountTimeout, readOnly,
                fmode, dmode);
    }

    /** The same options with another security model. */
    public CephOptions withSecurityModel(SecurityModel model) {
        return new CephOptions(conf, id, keyfile, keyring, fsName, path, model, mountTimeout, readOnly, fmode, dmode);
    }

    /** The same options, read-only or not. */
    public CephOptions withReadOnly(boolean readOnly) {
        return new CephOptions(conf, id, keyfile, keyring, fsName, path, securityModel, mountTimeout, readOnly, fmode,
                dmode);
    }

    /** The same options with another mount timeout. */
    public CephOptions withMountTimeout(Duration timeout) {
        return new CephOptions(conf, id, keyfile, keyring, fsName, path, securityModel, timeout, readOnly, fmode,
                dmode);
    }

    /**
     * Parses export options ({@code key=value} pairs already split). Unknown keys and bad values fail with an
     * {@link IllegalArgumentException} whose message names the valid keys or values.
     */
    public static CephOptions fromMap(Map<String, String> options) {
        for (String key : options.keySet()) {
            if (!KEYS.containsKey(key)) {
                throw new IllegalArgumentException("cephfs: unknown option '" + key + "'; valid options: "
                        + String.join(", ", KEYS.keySet()));
            }
        }
        String driver = options.get("fsdriver");
        if (driver != null && !driver.equals("cephfs")) {
            throw new IllegalArgumentException("cephfs: fsdriver must be 'cephfs', not '" + driver + "'");
        }
        CephOptions d = defaults();
        return new CephOptions(path(options, "conf"), text(options, "id"), path(options, "keyfile"),
                path(options, "keyring"), text(options, "fs"), options.getOrDefault("path", d.path()),
                securityModel(options.get("security_model")), timeout(options.get("mount_timeout")),
                flag(options, "readonly"), mode(options, "fmode", d.fmode()), mode(options, "dmode", d.dmode()));
    }

    private static Map<String, String> keys() {
        var keys = new LinkedHashMap<String, String>();
        keys.put("fsdriver", "cephfs");
        keys.put("tag", "the export's name (used by the server, ignored here)");
        keys.put("conf", "path of ceph.conf (default: Ceph's search: $CEPH_CONF, /etc/ceph/ceph.conf)");
        keys.put("id", "client id without 'client.' (default: admin)");
        keys.put("keyfile", "file holding the client's secret key");
        keys.put("keyring", "keyring file");
        keys.put("fs", "filesystem name (default: the cluster's default filesystem)");
        keys.put("path", "directory inside CephFS to export (default: /)");
        keys.put("security_model", "passthrough (default), mapped-xattr (alias mapped) or none");
        keys.put("mount_timeout", "seconds to wait for the cluster (default: 10)");
        keys.put("readonly", "on/off");
        keys.put("fmode", "octal mode of files on CephFS with mapped-xattr (default 0600)");
        keys.put("dmode", "octal mode of directories on CephFS with mapped-xattr (default 0700)");
        return Collections.unmodifiableMap(keys);
    }

    private static String text(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value != null && value.isEmpty()) {
            throw new IllegalArgumentException("cephfs: " + key + " must not be empty");
        }
        return value;
    }

    private static Path path(Map<String, String> options, String key) {
        String value = text(options, key);
        return value == null ? null : Path.of(value);
    }

    private static SecurityModel securityModel(String value) {
        if (value == null) {
            return SecurityModel.PASSTHROUGH;
        }
        if (value.equals("mapped")) {
            return SecurityModel.MAPPED_XATTR;
        }
        for (SecurityModel model : SecurityModel.values()) {
            if (model.key().equals(value)) {
                return model;
            }
        }
        throw new IllegalArgumentException("cephfs: security_model '" + value + "' is not supported; valid: "
                + List.of("passthrough", "mapped-xattr", "mapped", "none")
                + (value.equals("mapped-file") ? " (mapped-file is only offered by the local backend)" : ""));
    }

    private static Duration timeout(String value) {
        if (value == null) {
            return DEFAULT_MOUNT_TIMEOUT;
        }
        try {
            double seconds = Double.parseDouble(value);
            if (seconds > 0 && seconds <= 3600) {
                return Duration.ofMillis(Math.round(seconds * 1000));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("cephfs: mount_timeout must be a number of seconds in (0, 3600]: " + value);
    }

    private static boolean flag(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null) {
            return false;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes", "1", "" -> true;
            case "off", "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("cephfs: " + key + " must be on or off: " + value);
        };
    }

    private static int mode(Map<String, String> options, String key, int fallback) {
        String value = options.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            int mode = Integer.parseInt(value, 8);
            if (mode >= 0 && mode <= 07777) {
                return mode;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("cephfs: " + key + " must be an octal mode such as 0600: " + value);
    }
}
