package io.qbosync.health;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Session;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.paging.PagingManager;
import org.apache.activemq.artemis.core.paging.PagingStore;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.server.files.FileStoreMonitor;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

import io.qbosync.config.SyncJmsProperties;

/**
 * The {@code broker} health indicator, part of the readiness group: DOWN when the broker does not accept a new
 * connection within {@code sync.jms.broker.health-timeout}, and for the embedded broker also before it starts
 * refusing messages: disk usage within {@code health-disk-margin} points of {@code max-disk-usage}, or a pipeline
 * address filled to {@code health-address-fill} percent of its {@code max-size-bytes}.
 *
 * <p>The connection is a fresh one from the Artemis factory under the pool: a pooled connection would answer from
 * the pool without asking the broker. The check runs on its own thread so that a broker that does not answer makes
 * the probe DOWN after the timeout instead of holding it; while one check still waits, later ones report DOWN at once
 * instead of piling up threads.
 *
 * <p>Limits are read from the running broker (its disk monitor and each address's paging store), so a limit
 * changed at runtime moves the DOWN threshold with it. An external broker is checked for its connection only;
 * watch its disk and addresses in its own console.
 */
@Component("brokerHealthIndicator")
public class BrokerHealthIndicator implements HealthIndicator, DisposableBean {

    private final ConnectionFactory connectionFactory;
    private final ObjectProvider<EmbeddedActiveMQ> embedded;
    private final SyncJmsProperties jms;
    private final ExecutorService checker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "broker-health-check");
        t.setDaemon(true);
        return t;
    });
    private Future<String> pendingCheck;

    public BrokerHealthIndicator(ConnectionFactory connectionFactory, ObjectProvider<EmbeddedActiveMQ> embedded,
            SyncJmsProperties jms) {
        this.connectionFactory = unpooled(connectionFactory);
        this.embedded = embedded;
        this.jms = jms;
    }

    @Override
    public Health health() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();
        String connectProblem = connectProblem();
        if (connectProblem != null) {
            problems.add(connectProblem);
        }
        EmbeddedActiveMQ broker = embedded.getIfAvailable();
        ActiveMQServer server = broker == null ? null : broker.getActiveMQServer();
        if (server != null && server.isActive()) {
            details.put("mode", "embedded");
            details.put("disk", disk(server, problems));
            details.put("addresses", addresses(server, problems));
        } else {
            details.put("mode", server == null ? "external" : "embedded, not active");
            if (server != null) {
                problems.add("The embedded broker is not active");
            }
        }
        Health.Builder health = problems.isEmpty() ? Health.up() : Health.down();
        if (!problems.isEmpty()) {
            details.put("problems", problems);
        }
        return health.withDetails(details).build();
    }

    /** Null when a new connection and session were made within the timeout, else why not. */
    private String connectProblem() {
        Duration timeout = jms.broker().healthTimeout();
        Future<String> check;
        synchronized (this) {
            if (pendingCheck != null && !pendingCheck.isDone()) {
                return "An earlier connection check is still waiting for the broker";
            }
            check = checker.submit(() -> {
                try (Connection connection = connectionFactory.createConnection()) {
                    // Creating a session is a round trip to the broker, bounded by the client's call timeout.
                    connection.createSession(false, Session.AUTO_ACKNOWLEDGE).close();
                    return null;
                }
            });
            pendingCheck = check;
        }
        try {
            return check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            check.cancel(true);
            return "The broker did not accept a connection within " + timeout;
        } catch (ExecutionException e) {
            return "Cannot connect to the broker: " + e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Interrupted while connecting to the broker";
        }
    }

    private Map<String, Object> disk(ActiveMQServer server, List<String> problems) {
        Map<String, Object> disk = new LinkedHashMap<>();
        int limit = maxDiskUsagePercent(server);
        double usage = diskUsagePercent(server);
        boolean full = server.getPagingManager().isDiskFull();
        disk.put("usagePercent", Math.round(usage * 10) / 10.0);
        disk.put("maxDiskUsagePercent", limit);
        disk.put("full", full);
        if (full) {
            problems.add("The broker refuses messages: its disk is full (max-disk-usage " + limit + " %)");
        } else if (limit >= 0) {
            int downAt = limit - jms.broker().healthDiskMargin();
            disk.put("downAtPercent", downAt);
            if (usage >= downAt) {
                problems.add(String.format("Disk usage %.1f %% is within %d points of the broker's max-disk-usage %d %%",
                        usage, jms.broker().healthDiskMargin(), limit));
            }
        }
        return disk;
    }

    /** The limit the broker enforces now: its disk monitor's (which can be changed at runtime), else its configuration. */
    private static int maxDiskUsagePercent(ActiveMQServer server) {
        if (server.getConfiguration().getMinDiskFree() == -1 && server instanceof ActiveMQServerImpl impl) {
            FileStoreMonitor monitor = impl.getMonitor();
            if (monitor != null) {
                return (int) Math.round(monitor.getMaxUsage() * 100);
            }
        }
        return server.getConfiguration().getMaxDiskUsage();
    }

    /** Measured now, as Artemis measures it (1 - usable / total of the journal's file system), in percent. */
    private static double diskUsagePercent(ActiveMQServer server) {
        Path journal = server.getConfiguration().getJournalLocation().toPath();
        try {
            FileStore store = Files.getFileStore(Files.exists(journal) ? journal : journal.toAbsolutePath().getRoot());
            return FileStoreMonitor.calculateUsage(store.getUsableSpace(), store.getTotalSpace()) * 100;
        } catch (IOException e) {
            return server.getDiskStoreUsage() * 100;
        }
    }

    private Map<String, Object> addresses(ActiveMQServer server, List<String> problems) {
        Map<String, Object> addresses = new LinkedHashMap<>();
        PagingManager paging = server.getPagingManager();
        for (String name : jms.queues()) {
            Map<String, Object> address = new LinkedHashMap<>();
            try {
                PagingStore store = paging.getPageStore(SimpleString.of(name));
                if (store == null) {
                    continue;
                }
                long size = store.getAddressSize();
                long max = store.getMaxSize();
                Queue queue = server.locateQueue(name);
                address.put("messages", queue == null ? 0 : queue.getMessageCount());
                address.put("sizeBytes", size);
                address.put("maxSizeBytes", max);
                address.put("policy", store.getAddressFullMessagePolicy().name());
                if (max > 0) {
                    long fill = size * 100 / max;
                    address.put("fillPercent", fill);
                    // A full disk makes every address "full"; that is reported once, under disk.
                    if (store.isFull() && !paging.isDiskFull()) {
                        problems.add("Address " + name + " is full (" + size + " of " + max + " bytes): sends to it fail");
                    } else if (fill >= jms.broker().healthAddressFill()) {
                        problems.add("Address " + name + " is " + fill + " % full (" + size + " of " + max + " bytes)");
                    }
                }
            } catch (Exception e) {
                problems.add("Cannot read address " + name + ": " + e);
            }
            addresses.put(name, address);
        }
        return addresses;
    }

    private static ConnectionFactory unpooled(ConnectionFactory factory) {
        if (factory instanceof JmsPoolConnectionFactory pool && pool.getConnectionFactory() instanceof ConnectionFactory inner) {
            return inner;
        }
        return factory;
    }

    @Override
    public void destroy() {
        checker.shutdownNow();
    }
}
