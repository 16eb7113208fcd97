// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalOptionsTest {

    @Test
    void qemuStyleOptionsAreRead() {
        LocalOptions o = LocalOptions.fromMap(Map.of("path", "/srv", "security_model", "mapped-file", "readonly",
                "on", "fmode", "0640", "dmode", "0750", "writeout", "immediate"));
        assertEquals(SecurityModel.MAPPED_FILE, o.securityModel());
        assertTrue(o.readOnly());
        assertEquals(0640, o.fmode());
        assertEquals(0750, o.dmode());
        assertTrue(o.writeoutImmediate());
    }

    @Test
    void defaultsAreQemus() {
        LocalOptions o = LocalOptions.fromMap(Map.of("security_model", "mapped"));
        assertEquals(SecurityModel.MAPPED_XATTR, o.securityModel());
        assertFalse(o.readOnly());
        assertEquals(0600, o.fmode());
        assertEquals(0700, o.dmode());
        assertFalse(o.writeoutImmediate());
    }

    @Test
    void unknownKeyIsRefusedNamingTheValidOnes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> LocalOptions.fromMap(Map.of("security_model", "none", "cache", "loose")));
        assertTrue(e.getMessage().contains("cache"), e.getMessage());
        assertTrue(e.getMessage().contains("security_model"), e.getMessage());
    }

    @Test
    void badValuesAreRefusedNamingTheValidOnes() {
        var model = assertThrows(IllegalArgumentException.class,
                () -> LocalOptions.fromMap(Map.of("security_model", "mapped-acl")));
        assertTrue(model.getMessage().contains("passthrough, mapped-xattr, mapped-file, none"), model.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> LocalOptions.fromMap(Map.of()));
        assertTrue(missing.getMessage().contains("security_model="), missing.getMessage());
        var writeout = assertThrows(IllegalArgumentException.class,
                () -> LocalOptions.fromMap(Map.of("security_model", "none", "writeout", "later")));
        assertTrue(writeout.getMessage().contains("immediate"), writeout.getMessage());
        var fmode = assertThrows(IllegalArgumentException.class,
                () -> LocalOptions.fromMap(Map.of("security_model", "mapped", "fmode", "0999")));
        assertTrue(fmode.getMessage().contains("octal"), fmode.getMessage());
        var readonly = assertThrows(IllegalArgumentException.class,
                () -> LocalOptions.fromMap(Map.of("security_model", "none", "readonly", "maybe")));
        assertTrue(readonly.getMessage().contains("on or off"), readonly.getMessage());
    }

    @Test
    void fmodeIsRefusedOutsideTheMappedModels() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> LocalOptions.fromMap(Map.of("security_model", "passthrough", "fmode", "0600")));
        assertTrue(e.getMessage().contains("mapped"), e.getMessage());
    }

    @Test
    void openNeedsAPathToADirectory() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> LocalFileSystem.open(Map.of("security_model", "none")));
        assertTrue(e.getMessage().contains("path="), e.getMessage());
        var notDir = assertThrows(IllegalArgumentException.class,
                () -> LocalFileSystem.open(Map.of("security_model", "none", "path", "/etc/hostname")));
        assertTrue(notDir.getMessage().contains("ENOTDIR"), notDir.getMessage());
    }
}
