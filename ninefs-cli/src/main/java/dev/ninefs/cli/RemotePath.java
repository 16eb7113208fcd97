// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A file on a 9P server as the client commands name it: the transport endpoint, the aname to attach to, and a
 * path inside the export.
 *
 * <ul>
 *   <li>{@code tcp://127.0.0.1:5640/share/dir/file} (IPv6: {@code tcp://[::1]:5640/share/dir/file})
 *   <li>{@code unix:/run/ninefs.sock:/share/dir/file}
 * </ul>
 *
 * @param endpoint the endpoint URI the client library connects to ({@code tcp://HOST:PORT} or {@code unix:/PATH})
 * @param aname the export's name (may be empty: the server's default export)
 * @param names the path inside the export, one name per element (empty for the export's root)
 */
public record RemotePath(String endpoint, String aname, List<String> names) {

    static final String FORMS = "tcp://HOST:PORT/ANAME/PATH or unix:/SOCKET:/ANAME/PATH";

    public RemotePath {
        names = List.copyOf(names);
    }

    public static RemotePath parse(String uri) {
        String endpoint;
        String rest;
        if (uri.startsWith("tcp://")) {
            int slash = uri.indexOf('/', "tcp://".length());
            endpoint = slash < 0 ? uri : uri.substring(0, slash);
            rest = slash < 0 ? "" : uri.substring(slash + 1);
            if (endpoint.length() == "tcp://".length()) {
                throw new IllegalArgumentException("no host in '" + uri + "': expected " + FORMS);
            }
        } else if (uri.startsWith("unix:")) {
            int sep = uri.indexOf(":/", "unix:".length());
            endpoint = sep < 0 ? uri : uri.substring(0, sep);
            rest = sep < 0 ? "" : uri.substring(sep + 2);
            if (endpoint.length() == "unix:".length()) {
                throw new IllegalArgumentException("no socket path in '" + uri + "': expected " + FORMS);
            }
        } else {
            throw new IllegalArgumentException("'" + uri + "' is not a 9P location: expected " + FORMS);
        }
        List<String> parts = new ArrayList<>();
        for (String part : rest.split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        String aname = parts.isEmpty() ? "" : parts.removeFirst();
        return new RemotePath(endpoint, aname, parts);
    }

    /** The last name, or the aname for an export's root. */
    public String baseName() {
        return names.isEmpty() ? aname : names.getLast();
    }

    /** The parent directory's location; the root's parent is the root. */
    public RemotePath parent() {
        return names.isEmpty() ? this : new RemotePath(endpoint, aname, names.subList(0, names.size() - 1));
    }

    /** A child of this location. */
    public RemotePath child(String name) {
        List<String> more = new ArrayList<>(names);
        more.add(name);
        return new RemotePath(endpoint, aname, more);
    }

    /** The path inside the export, "/" for its root. */
    public String path() {
        return "/" + String.join("/", names);
    }

    @Override
    public String toString() {
        String sep = endpoint.startsWith("unix:") ? ":/" : "/";
        return endpoint + sep + aname + (names.isEmpty() ? "" : path());
    }
}
