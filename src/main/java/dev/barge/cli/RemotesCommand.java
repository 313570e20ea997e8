package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.RemoteConfig;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code barge remotes}: the configured remotes, credentials masked. */
@Command(name = "remotes", mixinStandardHelpOptions = true,
        description = {"Lists the configured remotes, sorted by name, with their credentials masked.",
                "Remotes come from the remotes file, BARGE_REMOTE_* variables and application.yml;"
                        + " s3://, oss://, qiniu:// and file:// work without one."},
        footerHeading = "%nExamples:%n",
        footer = {"  barge remotes", "  barge remotes --config ./remotes.yml"})
final class RemotesCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    RemotesCommand(Terminal terminal) {
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    @Override
    public Integer call() {
        try (Session session = BargeCommand.root(spec).openStores()) {
            PrintStream out = terminal.out();
            var remotes = session.stores().remotes();
            if (remotes.isEmpty()) {
                out.println("no remotes configured; define them in ~/.config/barge/remotes.yml or with"
                        + " BARGE_REMOTE_<NAME>_TYPE=... (see barge --help)");
                return ExitCode.OK;
            }
            out.println(String.format("%-16s %-6s %-40s %-14s %s", "NAME", "TYPE", "ENDPOINT / ROOT", "REGION",
                    "CREDENTIALS"));
            for (RemoteConfig remote : remotes.stream().sorted(Comparator.comparing(RemoteConfig::name)).toList()) {
                out.println(String.format("%-16s %-6s %-40s %-14s %s", remote.name(), remote.type(), where(remote),
                        remote.region() == null ? "-" : remote.region(), credentials(remote)));
            }
            out.flush();
            return ExitCode.OK;
        }
    }

    private static String where(RemoteConfig remote) {
        if (remote.root() != null) {
            return remote.root().toString();
        }
        return remote.endpoint() == null ? "(vendor default)" : remote.endpoint();
    }

    static String credentials(RemoteConfig remote) {
        if (remote.credentials() == null) {
            return remote.type().equals("local") ? "-" : "(default chain)";
        }
        String id = remote.credentials().accessKeyId();
        String shown = id.length() <= 4 ? "****" : id.substring(0, 4) + "****";
        return "key " + shown + " secret " + remote.credentials().secretAccessKey()
                + (remote.credentials().sessionToken() != null ? " token " + remote.credentials().sessionToken() : "");
    }
}
