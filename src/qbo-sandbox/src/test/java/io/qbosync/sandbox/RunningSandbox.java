package io.qbosync.sandbox;

import io.qbosync.sandbox.junit.QboSandboxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** One sandbox per test class (the shipped {@link QboSandboxExtension}), with an HTTP client for it. */
@ExtendWith(QboSandboxExtension.class)
abstract class RunningSandbox {
    static QboSandbox sandbox;
    static SandboxClient client;

    @BeforeAll
    static void start(QboSandbox started) {
        sandbox = started;
        client = new SandboxClient(sandbox.baseUrl());
    }
}
