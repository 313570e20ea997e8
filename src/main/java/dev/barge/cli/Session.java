package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import org.springframework.context.ApplicationContext;

/** The Spring context one command runs in; closing it closes the context if the session owns it. */
public final class Session implements AutoCloseable {
    private final ApplicationContext context;
    private final Runnable onClose;

    public Session(ApplicationContext context, Runnable onClose) {
        this.context = requireNonNull(context, "context is null");
        this.onClose = requireNonNull(onClose, "onClose is null");
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** Whether the context has a bean of {@code type}, without creating it. */
    public boolean has(Class<?> type) {
        return context.getBeanNamesForType(type, true, false).length > 0;
    }

    @Override
    public void close() {
        onClose.run();
    }
}
