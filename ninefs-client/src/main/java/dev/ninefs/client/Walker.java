// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.Qid;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Walks from one handle to a new fid. Walks of more than 16 names go out as several Twalks: the first from the
 * source fid to the new fid, the next ones in place on the new fid. A walk that stops early fails with ENOENT
 * naming the missing element; the new fid is then clunked (or was never made: Rlerror).
 */
final class Walker {
    private final RemoteFile from;
    private final Connection conn;

    Walker(RemoteFile from) {
        this.from = from;
        this.conn = from.connection();
    }

    /** The names of a relative path: "/" separated, empty and "." components dropped. */
    static List<String> split(String path) {
        List<String> names = new ArrayList<>();
        for (String name : path.split("/")) {
            if (!name.isEmpty() && !name.equals(".")) {
                names.add(name);
            }
        }
        return names;
    }

    RemoteFile walk(List<String> names) throws IOException {
        names = List.copyOf(names);
        int newfid = conn.fids().allocate();
        int source = from.fid();
        Qid qid = from.qid();
        int start = 0;
        do {
            List<String> chunk = chunk(names, start);
            Message.Rwalk reply;
            try {
                reply = (Message.Rwalk) conn.sendAwaited(new Message.Twalk(source, newfid, chunk), false).await();
            } catch (IOException | RuntimeException e) {
                if (source == newfid) { // an in-place walk failed: newfid still stands where the last one left it
                    clunk(newfid);
                }
                if (e instanceof ErrnoException x) {
                    throw RemoteFile.withPath(x, pathOf(names, start + 1));
                }
                throw e;
            }
            if (reply.qids().size() < chunk.size()) {
                clunk(newfid);
                throw stopped(names, start + reply.qids().size());
            }
            if (!chunk.isEmpty()) {
                qid = reply.qids().getLast();
            }
            source = newfid;
            start += Message.MAXWELEM;
        } while (start < names.size());
        return from.adopt(newfid, qid, pathOf(names, names.size()));
    }

    CompletableFuture<RemoteFile> walkAsync(List<String> names) {
        int newfid;
        try {
            newfid = conn.fids().allocate();
        } catch (ErrnoException e) {
            return CompletableFuture.failedFuture(e);
        }
        return step(List.copyOf(names), 0, from.fid(), newfid, from.qid());
    }

    private CompletableFuture<RemoteFile> step(List<String> names, int start, int source, int newfid, Qid qid) {
        List<String> chunk = chunk(names, start);
        return conn.send(new Message.Twalk(source, newfid, chunk)).handleAsync((reply, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException c ? c.getCause() : error;
                return source == newfid ? clunkAsync(newfid, cause) : CompletableFuture.<RemoteFile>failedFuture(cause);
            }
            List<Qid> qids = ((Message.Rwalk) reply).qids();
            if (qids.size() < chunk.size()) {
                return clunkAsync(newfid, stopped(names, start + qids.size()));
            }
            Qid last = qids.isEmpty() ? qid : qids.getLast();
            int next = start + Message.MAXWELEM;
            if (next >= names.size()) {
                return CompletableFuture.completedFuture(from.adopt(newfid, last, pathOf(names, names.size())));
            }
            return step(names, next, newfid, newfid, last);
        }, CallFuture.CONTINUATIONS).thenCompose(f -> f);
    }

    /** Clunks a fid the walk leaves behind; its error, if any, is not the walk's. */
    private void clunk(int fid) {
        if (Thread.currentThread().isInterrupted()) { // we could not even wait for a tag
            Thread.ofVirtual().start(() -> conn.send(new Message.Tclunk(fid)));
            return;
        }
        try {
            conn.sendAwaited(new Message.Tclunk(fid), false).await();
        } catch (IOException ignored) {
            // The number comes back with whatever reply arrives; a server that never made the fid says EBADF.
        }
    }

    /** The async walk's clunk (on a continuation thread, never the reader); then the walk fails with cause. */
    private CompletableFuture<RemoteFile> clunkAsync(int fid, Throwable cause) {
        return conn.send(new Message.Tclunk(fid))
                .handleAsync((r, e) -> null, CallFuture.CONTINUATIONS)
                .thenCompose(x -> CompletableFuture.failedFuture(cause));
    }

    private static List<String> chunk(List<String> names, int start) {
        return names.subList(start, Math.min(names.size(), start + Message.MAXWELEM));
    }

    private ErrnoException stopped(List<String> names, int missing) {
        return new ErrnoException(Errno.ENOENT, pathOf(names, missing + 1) + ": no such file or directory (walk"
                + " stopped at \"" + names.get(missing) + "\")");
    }

    /** The path of the first {@code count} names, for messages. */
    private String pathOf(List<String> names, int count) {
        StringBuilder path = new StringBuilder(from.path());
        for (int i = 0; i < Math.min(count, names.size()); i++) {
            if (path.charAt(path.length() - 1) != '/') {
                path.append('/');
            }
            path.append(names.get(i));
        }
        return path.toString();
    }
}
