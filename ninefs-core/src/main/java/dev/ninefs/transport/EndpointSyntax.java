// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** The URI forms of {@link Endpoint}, parsed strictly so that a typo fails with a message instead of a surprise. */
final class EndpointSyntax {
    static final String FORMS =
            "tcp://HOST:PORT, tcp://[IPV6]:PORT (port 0 = any free port), unix:/PATH, unix:///PATH or fd:IN,OUT"
                    + " (fd:0,1 = stdin/stdout)";

    private EndpointSyntax() {}

    static Endpoint parse(String uri) {
        if (uri == null) {
            throw new IllegalArgumentException("no endpoint given; expected " + FORMS);
        }
        if (uri.startsWith("tcp://")) {
            return tcp(uri, uri.substring("tcp://".length()));
        }
        if (uri.startsWith("unix:")) {
            return unix(uri, uri.substring("unix:".length()));
        }
        if (uri.startsWith("fd:")) {
            return fd(uri, uri.substring("fd:".length()));
        }
        throw bad(uri, "unknown scheme");
    }

    private static Endpoint tcp(String uri, String rest) {
        String host;
        String port;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0 || close + 1 >= rest.length() || rest.charAt(close + 1) != ':') {
                throw bad(uri, "an IPv6 address goes in brackets and is followed by :PORT");
            }
            host = rest.substring(1, close);
            port = rest.substring(close + 2);
            if (host.indexOf(':') < 0) {
                throw bad(uri, "brackets are only for IPv6 addresses");
            }
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon < 0) {
                throw bad(uri, "missing :PORT");
            }
            host = rest.substring(0, colon);
            port = rest.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw bad(uri, "an IPv6 address must be in brackets, e.g. tcp://[::1]:5640");
            }
        }
        if (host.isEmpty() || host.indexOf('/') >= 0 || host.indexOf('@') >= 0) {
            throw bad(uri, "bad host '" + host + "'");
        }
        return new Endpoint.Tcp(host, number(uri, port, 0xffff, "port"));
    }

    private static Endpoint unix(String uri, String rest) {
        String path;
        if (rest.startsWith("//")) {
            if (!rest.startsWith("///")) {
                throw bad(uri, "unix URIs have no host: use unix:/PATH or unix:///PATH");
            }
            path = rest.substring(2);
        } else {
            path = rest;
        }
        if (path.isEmpty()) {
            throw bad(uri, "missing socket path");
        }
        try {
            return new Endpoint.Unix(Path.of(path));
        } catch (InvalidPathException e) {
            throw bad(uri, e.getMessage());
        }
    }

    private static Endpoint fd(String uri, String rest) {
        int comma = rest.indexOf(',');
        if (comma < 0) {
            int both = number(uri, rest, Integer.MAX_VALUE, "file descriptor");
            return new Endpoint.Fd(both, both); // one bidirectional descriptor, e.g. a socket
        }
        return new Endpoint.Fd(number(uri, rest.substring(0, comma), Integer.MAX_VALUE, "input descriptor"),
                number(uri, rest.substring(comma + 1), Integer.MAX_VALUE, "output descriptor"));
    }

    private static int number(String uri, String digits, int max, String what) {
        if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw bad(uri, what + " '" + digits + "' is not a number");
        }
        long n = Long.parseLong(digits);
        if (n > max) {
            throw bad(uri, what + " " + n + " is above " + max);
        }
        return (int) n;
    }

    private static IllegalArgumentException bad(String uri, String why) {
        return new IllegalArgumentException("bad endpoint '" + uri + "': " + why + "; expected " + FORMS);
    }
}
