// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import dev.ninefs.cli.bench.Units;
import dev.ninefs.fs.FileSystem;
import dev.ninefs.qid.QidMapper;
import dev.ninefs.server.Export;
import dev.ninefs.server.NinefsServer;
import dev.ninefs.transport.Endpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves exports over 9P2000.L until interrupted.",
            "With no --export, exports ./share (created if missing) as 'share'; with no --listen, listens on "
                    + "tcp://127.0.0.1:5640."},
        footer = {"", "Export options (QEMU's -virtfs/-fsdev syntax; a literal comma is written ',,'):",
            "  tag=NAME             the aname clients attach to (required)",
            "  fsdriver=local|synth|cephfs   the backend (default local)",
            "  path=DIR             local: the directory to export",
            "  security_model=passthrough|mapped-xattr|mapped-file|none   local/cephfs: how client ownership is kept",
            "  readonly=on          refuse every change with EROFS",
            "  fmode=0600,dmode=0700   mapped models: host modes of new files and directories",
            "  writeout=immediate   local: push data to disk after each write",
            "  readdir_cache=off    local: list large directories afresh each time (default on: kept until inotify",
            "                       reports a change; ext4, xfs, btrfs, tmpfs and f2fs only)",
            "  multidevs=remap|forbid|warn   local: files of other file systems mounted below path: unique inode",
            "                       numbers (remap), refused with ENODEV (forbid), or one warning (warn, default)",
            "  conf=,id=,fs=,path=  cephfs: ceph.conf, client id, file system name, path inside CephFS",
            "", "Examples:",
            "  ninefs serve --export tag=share,path=/srv/share,security_model=mapped-xattr",
            "  ninefs serve --export tag=ro,path=/srv/docs,security_model=none,readonly=on --listen unix:/run/ninefs.sock",
            "  ninefs serve --listen fd:0,1 --export tag=share,path=/srv/share,security_model=passthrough"})
final class ServeCommand implements Callable<Integer> {
    static final String DEFAULT_LISTEN = "tcp://127.0.0.1:5640";

    @Spec
    CommandSpec spec;

    @Option(names = "--export", paramLabel = "OPTIONS", description = "An export, e.g. tag=share,path=/srv/share. Repeatable.")
    List<String> exports = new ArrayList<>();

    @Option(names = "--listen", paramLabel = "URI",
            description = "tcp://HOST:PORT, tcp://[::1]:PORT, unix:/PATH or fd:IN,OUT. Repeatable.")
    List<String> listens = new ArrayList<>();

    @Option(names = "--msize", paramLabel = "BYTES", description = "Largest message the server accepts (default 1M, at least 4096).")
    String msize;

    @Option(names = "--max-fids", paramLabel = "N", description = "Fids one connection may hold (default ${DEFAULT-VALUE}).")
    int maxFids = NinefsServer.DEFAULT_MAX_FIDS;

    @Option(names = "--spin", paramLabel = "TIME", description = "How long the reader of a client that sends one"
            + " request at a time polls for the next before it sleeps: saves an idle CPU's wake-up per request, for"
            + " the CPU time polled (adaptive; 0 to 1ms, e.g. 50us, 0 never; default 50us).")
    String spin = "50us";

    @Option(names = "--max-in-flight", paramLabel = "N", description = "Requests in flight per connection (default ${DEFAULT-VALUE}).")
    int maxInFlight = NinefsServer.DEFAULT_MAX_IN_FLIGHT;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Read settings from FILE: lines 'export = ...', 'listen = ...', 'msize = ...', '# comment'. "
                    + "Command-line options add to it.")
    Path config;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (config != null) {
            ConfigFile.read(config).applyTo(this);
        }
        if (exports.isEmpty()) {
            exports.add(defaultExport());
        }
        if (listens.isEmpty()) {
            listens.add(DEFAULT_LISTEN);
        }
        NinefsServer.Builder builder = NinefsServer.builder().maxFids(maxFids).maxInFlight(maxInFlight);
        try {
            builder.spin(Units.duration(spin));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--spin: " + e.getMessage());
        }
        if (msize != null) {
            builder.maxMsize(Math.toIntExact(Sizes.parse(msize)));
        }
        List<FileSystem> opened = new ArrayList<>();
        List<String> described = new ArrayList<>();
        try {
            for (String text : exports) {
                ExportSpec export = ExportSpec.parse(text);
                QidMapper qids = Backends.qids(export);
                FileSystem fs = Backends.open(export);
                opened.add(fs);
                builder.export(Export.of(export.tag(), fs, export.readOnly(), qids));
                described.add(export.tag() + " (" + export.fsdriver()
                        + (export.options().containsKey("path") ? " " + export.options().get("path") : "")
                        + (export.readOnly() ? ", read-only" : "")
                        + export.multidevs().map(m -> ", multidevs=" + m.option()).orElse("") + ")");
            }
        } catch (RuntimeException | IOException e) {
            opened.forEach(FileSystem::close);
            throw e;
        }
        NinefsServer server = builder.build();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "ninefs-shutdown"));
        for (String uri : listens) {
            Endpoint endpoint = Endpoint.parse(uri);
            Endpoint bound = server.listen(endpoint);
            if (!(endpoint instanceof Endpoint.Fd)) {
                err.println("ninefs: listening on " + describe(bound));
            }
        }
        for (String d : described) {
            err.println("ninefs: exporting " + d);
        }
        err.flush();
        server.awaitTermination();
        return 0;
    }

    private static String describe(Endpoint e) {
        return switch (e) {
            case Endpoint.Tcp t -> "tcp://" + (t.host().contains(":") ? "[" + t.host() + "]" : t.host()) + ":" + t.port();
            case Endpoint.Unix u -> "unix:" + u.path();
            case Endpoint.Fd f -> "fd:" + f.in() + "," + f.out();
        };
    }

    /** ./share, created if missing; passthrough when root, else none (ownership changes that fail are ignored). */
    private static String defaultExport() throws IOException {
        Path dir = Path.of("share").toAbsolutePath();
        Files.createDirectories(dir);
        String model = Identity.uid() == 0 ? "passthrough" : "none";
        return "tag=share,path=" + dir.toString().replace(",", ",,") + ",security_model=" + model;
    }

}
