package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import picocli.CommandLine;

/** Creates commands for picocli, giving those that write output the {@link Terminal}. */
final class CommandFactory implements CommandLine.IFactory {
    private final Terminal terminal;

    CommandFactory(Terminal terminal) {
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        try {
            return type.getDeclaredConstructor(Terminal.class).newInstance(terminal);
        } catch (NoSuchMethodException e) {
            return CommandLine.defaultFactory().create(type);
        }
    }
}
