// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RemotePathTest {
    @Test
    void tcpWithAnameAndPath() {
        RemotePath p = RemotePath.parse("tcp://127.0.0.1:5640/share/dir/file");
        assertEquals(new RemotePath("tcp://127.0.0.1:5640", "share", List.of("dir", "file")), p);
        assertEquals("file", p.baseName());
        assertEquals("/dir", p.parent().path());
        assertEquals("tcp://127.0.0.1:5640/share/dir/file", p.toString());
    }

    @Test
    void ipv6AndBareExportRoot() {
        RemotePath p = RemotePath.parse("tcp://[::1]:5640/share/");
        assertEquals("tcp://[::1]:5640", p.endpoint());
        assertEquals("share", p.aname());
        assertEquals(List.of(), p.names());
        assertEquals(p, p.parent());
    }

    @Test
    void unixSocketSeparatesTheExportWithColonSlash() {
        RemotePath p = RemotePath.parse("unix:/run/ninefs.sock:/share/a/b");
        assertEquals("unix:/run/ninefs.sock", p.endpoint());
        assertEquals("share", p.aname());
        assertEquals(List.of("a", "b"), p.names());
        assertEquals("unix:/run/ninefs.sock:/share/a/b", p.toString());
    }

    @Test
    void emptyAndDotComponentsAreDropped() {
        assertEquals(List.of("a", "b"), RemotePath.parse("tcp://h:1/s//a/./b/").names());
    }

    @Test
    void rejectsOtherForms() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RemotePath.parse("/local/file"))
                .getMessage().contains("tcp://HOST:PORT"));
        assertThrows(IllegalArgumentException.class, () -> RemotePath.parse("tcp:///share"));
        assertThrows(IllegalArgumentException.class, () -> RemotePath.parse("unix::/share"));
    }
}
