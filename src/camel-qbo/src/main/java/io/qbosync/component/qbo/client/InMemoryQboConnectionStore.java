package io.qbosync.component.qbo.client;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The {@code qbo:} component's default connection store: this JVM's memory. Right for one process whose tokens may be
 * lost with it (a test, a one-off job); rotated refresh tokens are gone on restart, so a long-running or replicated
 * deployment supplies a persistent store instead.
 */
public final class InMemoryQboConnectionStore implements QboConnectionStore {

    private final Map<String, QboConnection> connections = new ConcurrentSkipListMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryQboConnectionStore() {
        this(Clock.systemUTC());
    }

    public InMemoryQboConnectionStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void save(QboConnection c) {
        Instant now = clock.instant();
        QboConnectionStatus status = c.status() == null ? QboConnectionStatus.CONNECTED : c.status();
        QboConnection previous = connections.get(c.realmId());
        Instant created = previous != null ? previous.createdAt() : c.createdAt() != null ? c.createdAt() : now;
        connections.put(c.realmId(), new QboConnection(c.realmId(), c.environment(), c.apiBaseUrl(), c.tokenUrl(),
                c.clientId(), c.clientSecret(), c.refreshToken(), c.accessToken(), c.accessExpiresAt(),
                c.refreshExpiresAt(), c.refreshHardExpiresAt(), status, c.statusReason(), created, now,
                c.lastRefreshedAt()));
    }

    @Override
    public Optional<QboConnection> find(String realmId) {
        return Optional.ofNullable(connections.get(realmId));
    }

    @Override
    public List<QboConnectionSummary> listSummaries() {
        return connections.values().stream().map(c -> new QboConnectionSummary(c.realmId(), c.environment(),
                c.apiBaseUrl(), c.status(), c.statusReason(), c.accessExpiresAt(), c.refreshExpiresAt(),
                c.refreshHardExpiresAt(), c.lastRefreshedAt(), c.createdAt(), c.updatedAt())).toList();
    }

    @Override
    public <T> T inRefreshLock(String realmId, Function<Optional<QboConnection>, T> work) {
        ReentrantLock lock = locks.computeIfAbsent(realmId, k -> new ReentrantLock());
        lock.lock();
        try {
            return work.apply(find(realmId));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void updateTokens(String realmId, String accessToken, Instant accessExpiresAt, String refreshToken,
                             Instant refreshExpiresAt, Instant refreshHardExpiresAt) {
        Instant now = clock.instant();
        connections.compute(realmId, (k, c) -> {
            if (c == null) {
                throw new IllegalStateException("No connection stored for realm " + realmId);
            }
            return new QboConnection(c.realmId(), c.environment(), c.apiBaseUrl(), c.tokenUrl(), c.clientId(),
                    c.clientSecret(), refreshToken, accessToken, accessExpiresAt, refreshExpiresAt,
                    refreshHardExpiresAt != null ? refreshHardExpiresAt : c.refreshHardExpiresAt(),
                    QboConnectionStatus.CONNECTED, null, c.createdAt(), now, now);
        });
    }

    @Override
    public void updateStatus(String realmId, QboConnectionStatus status, String reason) {
        Instant now = clock.instant();
        connections.compute(realmId, (k, c) -> {
            if (c == null) {
                throw new IllegalStateException("No connection stored for realm " + realmId);
            }
            return new QboConnection(c.realmId(), c.environment(), c.apiBaseUrl(), c.tokenUrl(), c.clientId(),
                    c.clientSecret(), c.refreshToken(), c.accessToken(), c.accessExpiresAt(), c.refreshExpiresAt(),
                    c.refreshHardExpiresAt(), status, reason, c.createdAt(), now, c.lastRefreshedAt());
        });
    }
}
