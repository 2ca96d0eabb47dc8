package io.qbosync.source.sample;

import java.nio.file.Path;

/**
 * How to start a {@link SampleSourceServer}.
 *
 * @param host    interface to bind; 127.0.0.1 keeps the admin endpoints off the network
 * @param port    TCP port; 0 picks a free one (tests)
 * @param dataDir where runtime changes and write-backs are journalled; created when missing
 * @param seed    generator seed
 * @param records 0 for the standard data set, else about this many records
 * @param malformed how many records of the {@link MalformedCorpus} (same seed) to mix into the feed; 0 = none
 */
public record SampleSourceSettings(String host, int port, Path dataDir, long seed, int records, int malformed) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8090;
    public static final long DEFAULT_SEED = 42;

    public SampleSourceSettings {
        if (host == null || host.isBlank()) {
            host = DEFAULT_HOST;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("dataDir is required");
        }
        if (records < 0) {
            throw new IllegalArgumentException("records must be ≥ 0, got " + records);
        }
        if (malformed < 0) {
            throw new IllegalArgumentException("malformed must be ≥ 0, got " + malformed);
        }
    }

    /** Without malformed records. */
    public SampleSourceSettings(String host, int port, Path dataDir, long seed, int records) {
        this(host, port, dataDir, seed, records, 0);
    }

    /** Standard data set, seed 42, on 127.0.0.1 at an ephemeral port: what tests want. */
    public static SampleSourceSettings forTest(Path dataDir) {
        return new SampleSourceSettings(DEFAULT_HOST, 0, dataDir, DEFAULT_SEED, 0);
    }

    public SampleSourceSettings withPort(int newPort) {
        return new SampleSourceSettings(host, newPort, dataDir, seed, records, malformed);
    }

    public SampleSourceSettings withSeed(long newSeed) {
        return new SampleSourceSettings(host, port, dataDir, newSeed, records, malformed);
    }

    public SampleSourceSettings withRecords(int newRecords) {
        return new SampleSourceSettings(host, port, dataDir, seed, newRecords, malformed);
    }

    public SampleSourceSettings withDataDir(Path newDataDir) {
        return new SampleSourceSettings(host, port, newDataDir, seed, records, malformed);
    }

    public SampleSourceSettings withMalformed(int newMalformed) {
        return new SampleSourceSettings(host, port, dataDir, seed, records, newMalformed);
    }
}
