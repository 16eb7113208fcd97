// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cephfs export syntax. */
class CephOptionsTest {

    @Test
    void parsesTheFullExportSyntax() {
        CephOptions o = CephOptions.fromMap(Map.of("fsdriver", "cephfs", "conf", "/etc/ceph/ceph.conf", "id", "gw",
                "keyfile", "/etc/ceph/gw.key", "fs", "tenants", "path", "/volumes/x", "security_model", "mapped-xattr",
                "mount_timeout", "2.5", "readonly", "on", "tag", "share"));
        assertEquals(Path.of("/etc/ceph/ceph.conf"), o.conf());
        assertEquals("gw", o.id());
        assertEquals(Path.of("/etc/ceph/gw.key"), o.keyfile());
        assertEquals("tenants", o.fsName());
        assertEquals("/volumes/x", o.path());
        assertEquals(CephOptions.SecurityModel.MAPPED_XATTR, o.securityModel());
        assertEquals(Duration.ofMillis(2500), o.mountTimeout());
        assertTrue(o.readOnly());
    }

    @Test
    void defaultsAreTheWholeDefaultFilesystemInPassthrough() {
        CephOptions o = CephOptions.fromMap(Map.of("fsdriver", "cephfs"));
        assertNull(o.conf());
        assertNull(o.id());
        assertNull(o.fsName());
        assertEquals("/", o.path());
        assertEquals(CephOptions.SecurityModel.PASSTHROUGH, o.securityModel());
        assertEquals(CephOptions.DEFAULT_MOUNT_TIMEOUT, o.mountTimeout());
        assertFalse(o.readOnly());
        assertEquals(0600, o.fmode());
        assertEquals(0700, o.dmode());
    }

    @Test
    void mappedIsQemusAliasForMappedXattr() {
        assertEquals(CephOptions.SecurityModel.MAPPED_XATTR,
                CephOptions.fromMap(Map.of("security_model", "mapped")).securityModel());
        assertEquals(CephOptions.SecurityModel.NONE, CephOptions.fromMap(Map.of("security_model", "none"))
                .securityModel());
    }

    @Test
    void anUnknownKeyIsRefusedNamingTheValidOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> CephOptions.fromMap(Map.of("pathh", "/x")));
        assertTrue(e.getMessage().contains("'pathh'"), e.getMessage());
        for (String key : CephOptions.KEYS.keySet()) {
            assertTrue(e.getMessage().contains(key), key + " missing from: " + e.getMessage());
        }
    }

    @Test
    void badValuesAreRefusedClearly() {
        assertMessage("fsdriver must be 'cephfs'", Map.of("fsdriver", "local"));
        assertMessage("mapped-file is only offered by the local backend", Map.of("security_model", "mapped-file"));
        assertMessage("valid: [passthrough, mapped-xattr, mapped, none]", Map.of("security_model", "bogus"));
        assertMessage("mount_timeout must be a number of seconds", Map.of("mount_timeout", "soon"));
        assertMessage("mount_timeout must be a number of seconds", Map.of("mount_timeout", "0"));
        assertMessage("path must be absolute", Map.of("path", "volumes/x"));
        assertMessage("readonly must be on or off", Map.of("readonly", "perhaps"));
        assertMessage("fmode must be an octal mode", Map.of("fmode", "0999"));
        assertMessage("id must not be empty", Map.of("id", ""));
    }

    @Test
    void modesAreOctal() {
        CephOptions o = CephOptions.fromMap(Map.of("fmode", "0640", "dmode", "750"));
        assertEquals(0640, o.fmode());
        assertEquals(0750, o.dmode());
    }

    private static void assertMessage(String expected, Map<String, String> options) {
        var e = assertThrows(IllegalArgumentException.class, () -> CephOptions.fromMap(options));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith("cephfs: "), e.getMessage());
    }
}
