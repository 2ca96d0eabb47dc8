package io.qbosync.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One poller replica as its own process, for {@link FileLockKillTest}: {@code <lock root> <name> <events file>}. Appends
 * {@code POLL <epoch ms>} to the events file for each poll, and runs until it is killed.
 */
public final class FileLockReplicaMain {

    private FileLockReplicaMain() {
    }

    public static void main(String[] args) throws Exception {
        Path events = Path.of(args[2]);
        try (PollerReplica replica = new PollerReplica(args[1], FileLockLeadershipTest.fileLock(Path.of(args[0])), 100)) {
            replica.start();
            Files.writeString(events, "STARTED " + System.currentTimeMillis() + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            int seen = 0;
            while (true) {
                while (seen < replica.polls.size()) {
                    seen++;
                    Files.writeString(events, "POLL " + System.currentTimeMillis() + "\n", StandardOpenOption.APPEND);
                }
                Thread.sleep(10);
            }
        }
    }
}
