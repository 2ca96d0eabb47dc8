package io.qbosync.sandbox;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * How to run a {@link QboSandbox}: bind address, port (0 = ephemeral), data directory of its own H2
 * database, the company time zone (MetaData times, default TxnDate), access-token lifetime, HTTP worker
 * threads, and the clock (tests may pass a controllable one).
 *
 * @param host           bind address, default {@code 127.0.0.1} (the admin API is unauthenticated)
 * @param port           TCP port, 0 for an ephemeral one; default 8089
 * @param dataDir        directory of the sandbox database, default {@code ./data/sandbox}
 * @param companyZone    time zone of every sandbox company, default {@code America/Los_Angeles}
 * @param accessTokenTtl lifetime of access tokens, default 3600 s
 * @param threads        HTTP worker threads, default 32
 * @param clock          source of time, default the system clock
 */
public record SandboxSettings(String host, int port, Path dataDir, ZoneId companyZone, Duration accessTokenTtl,
                              int threads, Clock clock) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8089;
    public static final String DEFAULT_DATA_DIR = "./data/sandbox";
    public static final String DEFAULT_ZONE = "America/Los_Angeles";

    public SandboxSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(companyZone, "companyZone");
        Objects.requireNonNull(accessTokenTtl, "accessTokenTtl");
        Objects.requireNonNull(clock, "clock");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive");
        }
        if (accessTokenTtl.isNegative() || accessTokenTtl.isZero()) {
            throw new IllegalArgumentException("accessTokenTtl must be positive");
        }
    }

    /** Defaults: 127.0.0.1:8089, ./data/sandbox, America/Los_Angeles, 3600 s tokens, 32 threads. */
    public static SandboxSettings defaults() {
        return new SandboxSettings(DEFAULT_HOST, DEFAULT_PORT, Path.of(DEFAULT_DATA_DIR), ZoneId.of(DEFAULT_ZONE),
                Duration.ofSeconds(3600), 32, Clock.systemUTC());
    }

    /** Defaults for tests and embedding: an ephemeral port on 127.0.0.1 and the given data directory. */
    public static SandboxSettings ephemeral(Path dataDir) {
        return defaults().withPort(0).withDataDir(dataDir);
    }

    public SandboxSettings withHost(String v) {
        return new SandboxSettings(v, port, dataDir, companyZone, accessTokenTtl, threads, clock);
    }

    public SandboxSettings withPort(int v) {
        return new SandboxSettings(host, v, dataDir, companyZone, accessTokenTtl, threads, clock);
    }

    public SandboxSettings withDataDir(Path v) {
        return new SandboxSettings(host, port, v, companyZone, accessTokenTtl, threads, clock);
    }

    public SandboxSettings withCompanyZone(ZoneId v) {
        return new SandboxSettings(host, port, dataDir, v, accessTokenTtl, threads, clock);
    }

    public SandboxSettings withAccessTokenTtl(Duration v) {
        return new SandboxSettings(host, port, dataDir, companyZone, v, threads, clock);
    }

    public SandboxSettings withThreads(int v) {
        return new SandboxSettings(host, port, dataDir, companyZone, accessTokenTtl, v, clock);
    }

    public SandboxSettings withClock(Clock v) {
        return new SandboxSettings(host, port, dataDir, companyZone, accessTokenTtl, threads, v);
    }

    /**
     * Reads {@code --port=8089 --host=127.0.0.1 --data-dir=./data/sandbox --zone=America/Los_Angeles
     * --token-ttl=3600 --threads=32} over the defaults.
     */
    public static SandboxSettings fromArgs(String[] args) {
        SandboxSettings s = defaults();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            String key = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            s = switch (key) {
                case "port" -> s.withPort(Integer.parseInt(value));
                case "host" -> s.withHost(value);
                case "data-dir" -> s.withDataDir(Path.of(value));
                case "zone", "time-zone" -> s.withCompanyZone(ZoneId.of(value));
                case "token-ttl" -> s.withAccessTokenTtl(Duration.ofSeconds(Long.parseLong(value)));
                case "threads" -> s.withThreads(Integer.parseInt(value));
                default -> throw new IllegalArgumentException("unknown option --" + key);
            };
        }
        return s;
    }
}
