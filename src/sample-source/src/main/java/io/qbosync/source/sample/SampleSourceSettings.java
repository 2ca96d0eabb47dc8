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
 * @param chapters 0 for the named chapters (North, South, Pacific), else this many chapters C001, C002, … taking
 *                 invoices in turn (bench/run.sh --realms routes each to a company of its own)
 */
public record SampleSourceSettings(String host, int port, Path dataDir, long seed, int records, int malformed,
        int chapters) {
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
        if (chapters < 0 || chapters > 999) {
            throw new IllegalArgumentException("chapters must be 0..999, got " + chapters);
        }
    }

    /** With the named chapters. */
    public SampleSourceSettings(String host, int port, Path dataDir, long seed, int records, int malformed) {
        this(host, port, dataDir, seed, records, malformed, 0);
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
        return new SampleSourceSettings(host, newPort, dataDir, seed, records, malformed, chapters);
    }

    public SampleSourceSettings withSeed(long newSeed) {
        return new SampleSourceSettings(host, port, dataDir, newSeed, records, malformed, chapters);
    }

    public SampleSourceSettings withRecords(int newRecords) {
        return new SampleSourceSettings(host, port, dataDir, seed, newRecords, malformed, chapters);
    }

    public SampleSourceSettings withDataDir(Path newDataDir) {
        return new SampleSourceSettings(host, port, newDataDir, seed, records, malformed, chapters);
    }

    public SampleSourceSettings withMalformed(int newMalformed) {
        return new SampleSourceSettings(host, port, dataDir, seed, records, newMalformed, chapters);
    }
}
