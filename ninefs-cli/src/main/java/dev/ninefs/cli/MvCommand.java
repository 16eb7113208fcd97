// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import dev.ninefs.client.RemoteFile;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "mv", mixinStandardHelpOptions = true,
        description = "Renames a remote file within one export (Trenameat); an existing directory target receives it.")
final class MvCommand implements Callable<Integer> {
    @Mixin
    Remote remote;

    @Parameters(index = "0", paramLabel = "FROM", description = RemotePath.FORMS)
    String from;

    @Parameters(index = "1", paramLabel = "TO", description = "The new location on the same server and export.")
    String to;

    @Override
    public Integer call() throws Exception {
        RemotePath source = remote.locate(from);
        RemotePath target = remote.locate(to);
        if (!source.endpoint().equals(target.endpoint()) || !source.aname().equals(target.aname())) {
            throw new IllegalArgumentException("mv works within one export; " + from + " and " + to + " differ");
        }
        if (source.names().isEmpty() || target.names().isEmpty()) {
            throw new IllegalArgumentException("mv cannot move an export's root");
        }
        try (Remote.Session session = remote.open(source)) {
            try (RemoteFile existing = session.walk(target)) {
                if (existing.qid().isDirectory()) {
                    target = target.child(source.baseName());
                }
            } catch (ErrnoException e) {
                if (e.errno() != Errno.ENOENT) {
                    throw e;
                }
            }
            try (RemoteFile oldDir = session.walk(source.parent()); RemoteFile newDir = session.walk(target.parent())) {
                oldDir.renameat(source.baseName(), newDir, target.baseName());
            }
        }
        return 0;
    }
}
