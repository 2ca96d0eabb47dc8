package io.qbosync.sandbox;

import io.qbosync.sandbox.JdkHttpServers;

import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stateful local QuickBooks Online v3 emulator over real HTTP: the QBO API under {@code /v3/company/…},
 * Intuit's OAuth endpoints, and an admin API under {@code /sandbox}. State lives in its own H2 database in
 * {@link SandboxSettings#dataDir()} and every acknowledged write is durable. See docs/sandbox.md.
 *
 * <pre>{@code
 * try (QboSandbox qbo = QboSandbox.start(SandboxSettings.ephemeral(dir))) {
 *     String base = qbo.baseUrl(); // http://127.0.0.1:<port>
 * }
 * }</pre>
 */
public final class QboSandbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QboSandbox.class);

    static {
        JdkHttpServers.useNoDelay();
    }

    private final SandboxEngine engine;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String host;
    private volatile boolean closed;

    private QboSandbox(SandboxEngine engine, HttpServer server, ExecutorService executor, String host) {
        this.engine = engine;
        this.server = server;
        this.executor = executor;
        this.host = host;
    }

    /** Opens (or creates) the database in the data directory and starts serving. */
    public static QboSandbox start(SandboxSettings settings) {
        SandboxEngine engine = new SandboxEngine(settings);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 200);
        } catch (IOException e) {
            engine.close();
            throw new UncheckedIOException("QBO sandbox cannot bind " + settings.host() + ":" + settings.port(), e);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(settings.threads(), settings.threads(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "qbo-sandbox-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        server.setExecutor(executor);
        server.createContext("/", new SandboxHttpHandler(engine));
        server.start();
        QboSandbox sandbox = new QboSandbox(engine, server, executor, settings.host());
        LOG.info("QBO sandbox listening on {}", sandbox.baseUrl());
        return sandbox;
    }

    /** The bound port (the real one when started with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Base URL of the API, OAuth and admin endpoints, e.g. {@code http://127.0.0.1:8089}. */
    public String baseUrl() {
        String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        if (h.contains(":")) {
            h = "[" + h + "]";
        }
        return "http://" + h + ":" + port();
    }

    /** Stops the server (finishing answers in flight for up to a second) and closes the database. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(1);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
        engine.close();
        LOG.info("QBO sandbox stopped");
    }

    /**
     * Standalone use: {@code --port=8089 --host=127.0.0.1 --data-dir=./data/sandbox
     * [--zone=America/Los_Angeles] [--token-ttl=3600] [--threads=32]}. Prints
     * {@code QBO sandbox listening on <baseUrl>} and runs until killed.
     */
    public static void main(String[] args) throws InterruptedException {
        SandboxSettings settings;
        try {
            settings = SandboxSettings.fromArgs(args);
        } catch (RuntimeException e) {
            System.err.println("qbo-sandbox: " + e.getMessage());
            System.err.println("usage: QboSandbox [--port=8089] [--host=127.0.0.1] [--data-dir=./data/sandbox]"
                    + " [--zone=America/Los_Angeles] [--token-ttl=3600] [--threads=32]");
            System.exit(2);
            return;
        }
        QboSandbox sandbox = start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "qbo-sandbox-shutdown"));
        System.out.println("QBO sandbox listening on " + sandbox.baseUrl() + " (data " + settings.dataDir().toAbsolutePath() + ")");
        System.out.flush();
        stopped.await();
    }
}
