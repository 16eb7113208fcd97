// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

/**
 * Which connection and tag the current thread works for, for log lines. Bound in a {@link ScopedValue} around each
 * request's handling, so that code deep in a call (the error mapping, a backend's logging through it) can say which
 * request it was without passing it along.
 */
record RequestContext(long connection, int tag, String peer) {
    static final ScopedValue<RequestContext> CURRENT = ScopedValue.newInstance();

    /** "conn 3 tag 17" for the current request, or "server" outside one. */
    static String describe() {
        return CURRENT.isBound() ? CURRENT.get().toString() : "server";
    }

    @Override
    public String toString() {
        return "conn " + connection + " (" + peer + ") tag " + tag;
    }
}
