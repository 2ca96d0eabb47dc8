package io.qbosync.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code qbosync.cluster.service=file} across processes: two replica JVMs ({@link FileLockReplicaMain}: the real
 * source-poll route and the app's cluster-service factory) on one lock folder. One polls; {@code kill -9} of it
 * (no shutdown, the OS drops its lock) lets the other take over.
 */
class FileLockKillTest {

    @Test
    void theOtherProcessTakesOverAfterTheLeaderIsKilled(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("lock");
        Process a = start(dir, root, "proc-a");
        Process b = null;
        try {
            awaitLine(dir.resolve("proc-a.events"), "POLL", 60);
            b = start(dir, root, "proc-b");
            awaitLine(dir.resolve("proc-b.events"), "STARTED", 60);
            Thread.sleep(FileLockLeadershipTest.INTERVAL.toMillis() * 6);
            assertThat(lines(dir.resolve("proc-b.events"), "POLL")).as("polls of the passive process").isZero();

            a.destroyForcibly().waitFor();
            long killed = System.currentTimeMillis();
            long polled = awaitLine(dir.resolve("proc-b.events"), "POLL", 60);
            long takeoverMs = polled - killed;
            System.out.printf("file lock, kill -9: proc-a killed, proc-b polled %d ms later%n", takeoverMs);
            assertThat(lines(dir.resolve("proc-a.events"), "POLL")).isEqualTo(1);
            // Heartbeat timeout (interval x multiplier = 2.5 s) plus the poll's start delay, with slack for a busy host.
            assertThat(takeoverMs).isLessThan(FileLockLeadershipTest.INTERVAL.toMillis() * 5 + 7_000);
        } finally {
            a.destroyForcibly().waitFor();
            if (b != null) {
                b.destroyForcibly().waitFor();
            }
        }
    }

    private static Process start(Path dir, Path root, String name) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), FileLockReplicaMain.class.getName(), root.toString(), name,
                dir.resolve(name + ".events").toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
    }

    /** Waits for the first line starting with {@code prefix}; returns its epoch ms. */
    private static long awaitLine(Path file, String prefix, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith(prefix + " ")) {
                        return Long.parseLong(line.substring(prefix.length() + 1).trim());
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + prefix + " in " + file + " within " + seconds + " s; logs beside it");
    }

    private static long lines(Path file, String prefix) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix + " ")).count() : 0;
    }
}
