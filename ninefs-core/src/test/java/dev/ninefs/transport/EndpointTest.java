// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTest {
    @Test
    void acceptedForms() {
        assertEquals(new Endpoint.Tcp("127.0.0.1", 5640), Endpoint.parse("tcp://127.0.0.1:5640"));
        assertEquals(new Endpoint.Tcp("::1", 5640), Endpoint.parse("tcp://[::1]:5640"));
        assertEquals(new Endpoint.Tcp("fe80::1%lo", 1), Endpoint.parse("tcp://[fe80::1%lo]:1"));
        assertEquals(new Endpoint.Tcp("localhost", 0), Endpoint.parse("tcp://localhost:0"));
        assertEquals(new Endpoint.Unix(Path.of("/run/ninefs.sock")), Endpoint.parse("unix:/run/ninefs.sock"));
        assertEquals(new Endpoint.Unix(Path.of("/run/ninefs.sock")), Endpoint.parse("unix:///run/ninefs.sock"));
        assertEquals(new Endpoint.Unix(Path.of("ninefs.sock")), Endpoint.parse("unix:ninefs.sock"));
        assertEquals(new Endpoint.Fd(0, 1), Endpoint.parse("fd:0,1"));
        assertEquals(new Endpoint.Fd(5, 5), Endpoint.parse("fd:5"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://127.0.0.1:5640", "tcp://[::1]:5640", "unix:/run/x.sock", "fd:0,1", "fd:3,4"})
    void toStringGivesTheUriBack(String uri) {
        assertEquals(uri, Endpoint.parse(uri).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "127.0.0.1:5640", "http://x:1", "tcp://", "tcp://host", "tcp://:5640",
            "tcp://host:", "tcp://host:65536", "tcp://host:-1", "tcp://host:12x", "tcp://::1:5640", "tcp://[::1]",
            "tcp://[::1]5640", "tcp://[127.0.0.1]:1", "tcp://host:1/path", "tcp://user@host:1", "unix:",
            "unix://host/path", "fd:", "fd:0,", "fd:a,b", "fd:-1,1", "fd:0,1,2", "fd:99999999999"})
    void rejectedFormsNameTheAcceptedOnes(String uri) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Endpoint.parse(uri));
        assertTrue(e.getMessage().contains("tcp://HOST:PORT") && e.getMessage().contains("unix:/PATH")
                && e.getMessage().contains("fd:IN,OUT"), e.getMessage());
    }

    @Test
    void nullIsRejectedClearly() {
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse(null));
    }
}
