package io.qbosync.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code qbosync.cluster.service=file}: two replicas (two Camel contexts with the real source-poll route and the
 * cluster service the app's factory builds) on one lock folder. Exactly one polls; when it stops, the other takes
 * over. Timings are the test-friendly ones (100 ms first attempt, 500 ms interval); the defaults are 1 s and 2 s.
 */
class FileLockLeadershipTest {

    static final Duration DELAY = Duration.ofMillis(100);
    static final Duration INTERVAL = Duration.ofMillis(500);

    static ClusterProperties fileLock(Path root) {
        return new ClusterProperties(ClusterProperties.Service.FILE,
                new ClusterProperties.File(root.toString(), DELAY, INTERVAL, 5), null);
    }

    @Test
    void oneReplicaPollsAndTheOtherTakesOverWhenItStops(@TempDir Path lockRoot) throws Exception {
        try (PollerReplica a = new PollerReplica("replica-a", fileLock(lockRoot), 100);
                PollerReplica b = new PollerReplica("replica-b", fileLock(lockRoot), 100)) {
            a.start();
            b.start();
            assertThat(a.scheduleUri()).startsWith("master:qbo-sync-poller:scheduler:source-poll");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (a.polls.isEmpty() && b.polls.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(a.polls.size() + b.polls.size()).as("a first poll on one replica").isGreaterThan(0);
            // Several lock intervals later the passive replica has still not polled and not taken the lock.
            Thread.sleep(INTERVAL.toMillis() * 6);
            PollerReplica leader = a.polls.isEmpty() ? b : a;
            PollerReplica passive = leader == a ? b : a;
            assertThat(leader.isLeader()).isTrue();
            assertThat(passive.isLeader()).isFalse();
            assertThat(passive.polls).as("polls of the passive replica").isEmpty();
            assertThat(leader.polls).as("polls of the leader (one start-up poll, the next in 10 minutes)").hasSize(1);
            // POST /api/sync/poll: refused on the passive replica, a poll on the leader.
            assertThat(passive.onDemandPoll()).isEqualTo(409);
            assertThat(leader.onDemandPoll()).isEqualTo(202);
            long deadlineOnDemand = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (leader.polls.size() < 2 && System.nanoTime() < deadlineOnDemand) {
                Thread.sleep(20);
            }
            assertThat(leader.polls).as("polls of the leader after an on-demand poll").hasSize(2);
            assertThat(passive.polls).isEmpty();

            long stopped = System.nanoTime();
            leader.close();
            deadline = stopped + TimeUnit.SECONDS.toNanos(30);
            while (passive.polls.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(passive.polls).as("polls of the replica left").hasSize(1);
            assertThat(passive.onDemandPoll()).as("on-demand poll on the new leader").isEqualTo(202);
            long takeoverMs = TimeUnit.NANOSECONDS.toMillis(passive.polls.get(0) - stopped);
            System.out.printf("file lock: %s stopped, %s polled %d ms later%n", leader.name, passive.name, takeoverMs);
            assertThat(passive.isLeader()).isTrue();
            // Within one heartbeat timeout (interval x multiplier = 2.5 s) plus the poll's start delay, with slack.
            assertThat(takeoverMs).isLessThan(INTERVAL.toMillis() * 5 + 5_000);
        }
    }

    @Test
    void theFactoryRefusesAFileLockWithoutAFolder() {
        ClusterProperties noRoot = new ClusterProperties(ClusterProperties.Service.FILE,
                new ClusterProperties.File(" ", DELAY, INTERVAL, 5), null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClusterServices.create(noRoot, "x"))
                .hasMessageContaining("qbosync.cluster.file.root");
        assertThat(List.of(ClusterServices.create(fileLock(Path.of("x")), "x").getClass().getSimpleName()))
                .containsExactly("FileLockClusterService");
    }
}
