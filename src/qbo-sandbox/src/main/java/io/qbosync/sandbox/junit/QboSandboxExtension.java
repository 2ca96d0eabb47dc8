package io.qbosync.sandbox.junit;

import io.qbosync.sandbox.QboSandbox;
import io.qbosync.sandbox.SandboxSettings;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * JUnit 5 extension: one QBO sandbox per test class, on an ephemeral loopback port with its database in a fresh
 * temporary folder, closed and deleted after the class. Test and lifecycle methods (and constructors) get it as a
 * {@link QboSandbox} parameter:
 *
 * <pre>{@code
 * @ExtendWith(QboSandboxExtension.class)
 * class MyQboClientIT {
 *     @Test
 *     void createsACustomer(QboSandbox sandbox) {
 *         // POST sandbox.baseUrl() + "/sandbox/realms" for a company with tokens, then call the v3 API on it
 *     }
 * }
 * }</pre>
 */
public final class QboSandboxExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(QboSandboxExtension.class);
    private static final String KEY = "sandbox";

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Path dir = Files.createTempDirectory("qbo-sandbox-");
        context.getStore(NAMESPACE).put(KEY, new Running(QboSandbox.start(SandboxSettings.ephemeral(dir)), dir));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Running running = context.getStore(NAMESPACE).remove(KEY, Running.class);
        if (running != null) {
            running.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == QboSandbox.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Running running = context.getStore(NAMESPACE).get(KEY, Running.class);
        if (running == null) {
            throw new IllegalStateException("QboSandboxExtension starts its sandbox before all tests of a class:"
                    + " register it on the class (@ExtendWith), not on a method");
        }
        return running.sandbox();
    }

    private record Running(QboSandbox sandbox, Path dir) {
        void close() {
            sandbox.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
