package io.qbosync.sandbox;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** One sandbox on an ephemeral port and its own temp dir per test class, with an HTTP client for it. */
abstract class RunningSandbox {
    @TempDir
    static Path dir;
    static QboSandbox sandbox;
    static SandboxClient client;

    @BeforeAll
    static void start() {
        sandbox = QboSandbox.start(SandboxSettings.ephemeral(dir));
        client = new SandboxClient(sandbox.baseUrl());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }
}
