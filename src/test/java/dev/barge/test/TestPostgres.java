package dev.barge.test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * PostgreSQL for tests: the server at 127.0.0.1:5432 (database {@code test}, trust auth, as
 * {@code .ci/run} prepares it) when it answers, otherwise an embedded PostgreSQL started once for
 * the test JVM. Each caller gets a schema of its own, dropped on close, so test classes and
 * concurrent builds never see each other's tables.
 */
public final class TestPostgres {
    private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String LOCAL_USER = "postgres";

    private TestPostgres() {}

    /** A fresh, empty schema. */
    public static Schema freshSchema() {
        Server server = Server.INSTANCE;
        String schema = "barge_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        server.execute("create schema " + schema);
        return new Schema(server.url + (server.url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                server.user, schema, server);
    }

    /** A schema of its own; {@link #close()} drops it. */
    public record Schema(String url, String user, String name, Server server) implements AutoCloseable {

        /** Points a Spring test context's job repository (DataSource and Flyway) at this schema. */
        public void register(org.springframework.test.context.DynamicPropertyRegistry registry) {
            registry.add("spring.datasource.url", this::url);
            registry.add("spring.datasource.username", this::user);
            registry.add("spring.datasource.password", () -> "");
            registry.add("spring.flyway.schemas", this::name);
            // Spring keeps test contexts for reuse, each with its pool: at Hikari's default (10 held
            // open) a whole run's contexts came close to PostgreSQL's 100 connections
            registry.add("spring.datasource.hikari.maximum-pool-size", () -> "6");
            registry.add("spring.datasource.hikari.minimum-idle", () -> "1");
        }

        @Override
        public void close() {
            server.execute("drop schema if exists " + name + " cascade");
        }
    }

    /** The server tests use, found or started once. */
    public static final class Server {
        private static final Server INSTANCE = find();

        private final String url;
        private final String user;

        private Server(String url, String user) {
            this.url = url;
            this.user = user;
        }

        private static Server find() {
            DriverManager.setLoginTimeout(3);
            try (Connection ignored = DriverManager.getConnection(LOCAL_URL, LOCAL_USER, "")) {
                return new Server(LOCAL_URL, LOCAL_USER);
            } catch (SQLException unreachable) {
                try {
                    EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            embedded.close();
                        } catch (IOException e) {
                            // the JVM is going away with it
                        }
                    }));
                    return new Server(embedded.getJdbcUrl("postgres", "postgres"), "postgres");
                } catch (IOException | RuntimeException e) {
                    throw new IllegalStateException("No PostgreSQL at 127.0.0.1:5432 (" + unreachable.getMessage()
                            + ") and the embedded one did not start. Start the local server with "
                            + "'pg_ctlcluster --skip-systemctl-redirect 15 main start' or run .ci/run.", e);
                }
            }
        }

        void execute(String sql) {
            try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }
    }
}
