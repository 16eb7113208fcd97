// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.qid.Multidevs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** multidevs= on an export: parsed by the server layer, kept from the backend, refused where it means nothing. */
@Timeout(30)
class ExportSpecMultidevsTest {

    @Test
    void multidevsIsTheServersAndNotPassedToTheBackend() {
        ExportSpec spec = ExportSpec.parse("tag=s,path=/srv/s,security_model=none,multidevs=remap");
        assertEquals(Optional.of(Multidevs.REMAP), spec.multidevs());
        assertFalse(spec.backendOptions().containsKey("multidevs"));
        assertEquals("none", spec.backendOptions().get("security_model"));
        assertEquals(Optional.empty(), ExportSpec.parse("tag=s,path=/srv/s").multidevs());
    }

    @Test
    void localExportsWarnByDefaultAndTakeEachPolicy() {
        assertEquals("multidevs=warn", Backends.qids(ExportSpec.parse("tag=s,path=/srv/s")).toString());
        for (String value : new String[] {"remap", "forbid", "warn"}) {
            assertEquals("multidevs=" + value,
                    Backends.qids(ExportSpec.parse("tag=s,path=/srv/s,multidevs=" + value)).toString());
        }
    }

    @Test
    void anUnknownValueNamesTheValidOnes() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> ExportSpec.parse("tag=s,path=/srv/s,multidevs=sometimes").multidevs()).getMessage();
        assertTrue(message.contains("multidevs=sometimes") && message.contains("remap, forbid, warn"), message);
    }

    @Test
    void multidevsOnABackendWithOneDeviceIsAnErrorThatSaysSo() {
        for (String driver : new String[] {"synth", "cephfs"}) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> Backends.qids(ExportSpec.parse("tag=s,fsdriver=" + driver + ",multidevs=forbid")))
                    .getMessage();
            assertTrue(message.contains("fsdriver=" + driver) && message.contains("one device")
                    && message.contains("remap, forbid, warn"), message);
        }
        assertEquals("inodes", Backends.qids(ExportSpec.parse("tag=s,fsdriver=synth")).toString());
    }

    @Test
    void serveRefusesBadMultidevsBeforeServingAnything() {
        String[][] cases = {
            {"tag=s,fsdriver=synth,multidevs=remap", "does not apply to fsdriver=synth"},
            {"tag=s,path=/nonexistent-ninefs,security_model=none,multidevs=yes", "multidevs=yes is not valid"},
        };
        for (String[] c : cases) {
            StringWriter err = new StringWriter();
            int status = Main.run(new String[] {"serve", "--export", c[0], "--listen", "tcp://127.0.0.1:0"},
                    new PrintWriter(new StringWriter()), new PrintWriter(err, true));
            assertEquals(Main.USAGE, status, err.toString());
            assertTrue(err.toString().contains(c[1]) && err.toString().contains("remap, forbid, warn"),
                    err.toString());
        }
    }
}
