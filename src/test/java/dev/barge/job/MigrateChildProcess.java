package dev.barge.job;

import dev.barge.BargeApplication;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StoreRegistry;
import dev.barge.storage.WriteResult;
import dev.barge.storage.layer.ObjectStoreLayer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A migration in a process of its own, for tests that kill it. Arguments are Spring properties
 * ({@code --barge.remotes...}); {@code --test.source}, {@code --test.target} and
 * {@code --test.chunk-size} give the migration ({@code --test.mode}, copy by default, its mode),
 * and {@code --test.put-log} a file that gets one
 * line per write started on the target, so a test can count objects written twice.
 */
public final class MigrateChildProcess {
    private MigrateChildProcess() {}

    public static void main(String[] args) throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BargeApplication.class, PutLog.class)
                .run(args)) {
            Environment env = context.getEnvironment();
            JobExecution execution = context.getBean(MigrateJob.class).run(MigrateParameters
                    .builder(env.getRequiredProperty("test.source"), env.getRequiredProperty("test.target"))
                    .chunkSize(env.getRequiredProperty("test.chunk-size", Integer.class))
                    .mode(env.getProperty("test.mode", dev.barge.batch.MigrationMode.class,
                            dev.barge.batch.MigrationMode.COPY))
                    .concurrency(4)
                    .partitions(env.getProperty("test.partitions", Integer.class, 1))
                    .build());
            System.out.println("execution " + execution.getId() + " " + execution.getStatus());
            System.exit(execution.getStatus() == BatchStatus.COMPLETED ? 0 : 1);
        }
    }

    /** Given to the child application as a source; not annotated, so test component scans never find it. */
    static class PutLog {
        @Bean
        StoreRegistry.StoreDecorator putLog(Environment env) {
            Path log = Path.of(env.getRequiredProperty("test.put-log"));
            return (RemoteConfig remote, ObjectStore store) -> new ObjectStoreLayer(store) {
                @Override
                protected <T> T invoke(Call call, Supplier<T> action) {
                    return action.get();
                }

                @Override
                public WriteResult put(PutRequest request, Payload payload) {
                    // logged before the write: a write cut short by the kill counts as a transfer too
                    synchronized (PutLog.class) {
                        try {
                            Files.writeString(log, request.key() + "\n", StandardCharsets.UTF_8,
                                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    return delegate.put(request, payload);
                }
            };
        }
    }
}
