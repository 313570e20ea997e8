package dev.barge.storage.s3;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.barge.storage.Credentials;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * An HTTP server on 127.0.0.1 that answers requests with scripted responses, in order, and
 * records what it was sent: for the S3 behaviour S3Proxy does not have (archives, restores,
 * throttling), answered with the status codes, headers and XML bodies AWS documents, so that the
 * real SDK parses them. The JDK server capitalises header names; the SDK reads them in any case.
 */
final class S3StubServer implements AutoCloseable {
    static final String ACCESS_KEY = "AKIDSTUBEXAMPLE";
    static final String SECRET_KEY = "stub-secret-never-in-messages";

    /** A request as the server received it; header names lower-cased. */
    record Request(String method, String path, String query, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * A scripted answer; {@link #RESET} drops the connection without one. The body goes out in
     * {@code chunks} pieces with {@code pause} between them, to play a slow or stalling server.
     */
    record Response(int status, Map<String, String> headers, byte[] body, int chunks, Duration pause) {
        static final Response RESET = of(-1);

        static Response of(int status) {
            return new Response(status, Map.of(), new byte[0], 1, Duration.ZERO);
        }

        static Response xml(int status, String xml) {
            return new Response(status, Map.of("Content-Type", "application/xml"), xml.getBytes(StandardCharsets.UTF_8),
                    1, Duration.ZERO);
        }

        /** An S3 REST error, as in the S3 API reference ("Error responses"). */
        static Response error(int status, String code, String message, String requestId) {
            return xml(status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>"
                    + message + "</Message><RequestId>" + requestId + "</RequestId><HostId>host-id</HostId></Error>")
                    .with("x-amz-request-id", requestId);
        }

        Response with(String name, String value) {
            Map<String, String> headers = new LinkedHashMap<>(this.headers);
            headers.put(name, value);
            return new Response(status, headers, body, chunks, pause);
        }

        Response withBody(byte[] newBody) {
            return new Response(status, headers, newBody, chunks, pause);
        }

        Response trickled(int newChunks, Duration newPause) {
            return new Response(status, headers, body, newChunks, newPause);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Deque<Function<Request, Response>> script = new ArrayDeque<>();
    private final List<Request> requests = new ArrayList<>();

    private S3StubServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static S3StubServer start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService executor = Executors.newFixedThreadPool(4);
        S3StubServer stub = new S3StubServer(server, executor);
        server.createContext("/", stub::handle);
        server.setExecutor(executor);
        server.start();
        return stub;
    }

    /** Answers the next requests with these responses, in order. */
    synchronized void enqueue(Response... responses) {
        for (Response response : responses) {
            script.add(request -> response);
        }
    }

    /** Answers the next request with what {@code responder} makes of it. */
    synchronized void enqueue(Function<Request, Response> responder) {
        script.add(responder);
    }

    /** Forgets the script and the recorded requests. */
    synchronized void reset() {
        script.clear();
        requests.clear();
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** A path-style remote on this server. */
    RemoteConfig remote(String name) {
        return remote(name, Duration.ofSeconds(10));
    }

    RemoteConfig remote(String name, Duration requestTimeout) {
        return remote(name, requestTimeout, Map.of());
    }

    RemoteConfig remote(String name, Duration requestTimeout, Map<String, String> options) {
        return new RemoteConfig(name, S3StoreProvider.TYPE, "http://127.0.0.1:" + server.getAddress().getPort(),
                "us-east-1", new Credentials(ACCESS_KEY, Secret.of(SECRET_KEY), null), true, Duration.ofSeconds(2),
                requestTimeout, 4, null, options);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), headers, body);
            Function<Request, Response> responder;
            synchronized (this) {
                requests.add(request);
                responder = script.poll();
            }
            Response response = responder == null ? null : responder.apply(request);
            if (response == null) {
                response = Response.error(500, "UnscriptedRequest", "the test scripted no response for "
                        + exchange.getRequestMethod() + " " + exchange.getRequestURI(), "unscripted");
            }
            if (response == Response.RESET) {
                return; // closing an exchange that sent nothing drops the connection
            }
            response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(response.status(), head || response.body().length == 0 ? -1 : response.body().length);
            if (!head && response.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    int chunk = (response.body().length + response.chunks() - 1) / response.chunks();
                    for (int from = 0; from < response.body().length; from += chunk) {
                        if (from > 0) {
                            pause(response.pause()); // plays a slow server: the client waits, nothing waits for it
                        }
                        out.write(response.body(), from, Math.min(chunk, response.body().length - from));
                        out.flush();
                    }
                }
            }
        }
    }

    private static void pause(Duration pause) throws IOException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
