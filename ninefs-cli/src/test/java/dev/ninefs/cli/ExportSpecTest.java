// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportSpecTest {
    @Test
    void parsesQemuStyleOptions() {
        ExportSpec spec = ExportSpec.parse("tag=share,path=/srv/share,readonly=on,security_model=mapped-xattr");
        assertEquals("share", spec.tag());
        assertEquals("local", spec.fsdriver());
        assertEquals(Map.of("path", "/srv/share", "readonly", "on", "security_model", "mapped-xattr"), spec.options());
        assertTrue(spec.readOnly());
    }

    @Test
    void doubledCommaIsALiteralComma() {
        ExportSpec spec = ExportSpec.parse("tag=t,path=/srv/a,,b,fsdriver=synth");
        assertEquals("/srv/a,b", spec.options().get("path"));
        assertEquals("synth", spec.fsdriver());
        assertFalse(spec.readOnly());
    }

    @Test
    void mountTagIsAnAliasOfTag() {
        assertEquals("h0", ExportSpec.parse("mount_tag=h0,path=/x").tag());
    }

    @Test
    void clearErrors() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExportSpec.parse("path=/x"))
                .getMessage().contains("tag=NAME"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExportSpec.parse("tag=a,path"))
                .getMessage().contains("not key=value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExportSpec.parse("tag=a,tag=b"))
                .getMessage().contains("twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExportSpec.parse("tag=a/b,path=/x"))
                .getMessage().contains("'/'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExportSpec.parse("tag=a,readonly=maybe").readOnly())
                .getMessage().contains("on or off"));
        assertThrows(IllegalArgumentException.class, () -> ExportSpec.parse(""));
    }
}
