package io.qbosync.config.security;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import io.qbosync.config.SecurityUsersProperties;

/**
 * Counts failed logins and decides whether the next attempt may cost a password hash check. Three counts, each
 * starting with its first failure and lasting one window:
 * <ul>
 *   <li><b>address and user</b> (low limit): that user from that address is locked out, even with a password that
 *       was just verified, so a locked-out client cannot keep guessing against the verified-credentials cache;</li>
 *   <li><b>address</b> (any user): the address is locked out for credentials not verified recently. A good client
 *       behind the same address (a NAT, a shared proxy, the same host) whose credentials are in the cache still
 *       gets in, so a flood from a neighbour does not lock it out;</li>
 *   <li><b>user</b> (any address, high limit): the same for credentials not verified recently. It is high because
 *       anyone can trip it: a per-user lockout is a denial of service against that user.</li>
 * </ul>
 * Attempts refused by the address or user lockout count for the address-and-user pair only, so refused attempts
 * cannot be used to lock a user out everywhere. Only known user names get per-user counts; IPv6 clients are counted
 * per /64, which is what one subscriber usually gets. Memory is bounded: expired counts are dropped when the table
 * grows, and beyond {@value #MAX_TRACKED} live counts new addresses are not tracked (their per-user counts still are).
 */
public final class LoginThrottle {

    static final int MAX_TRACKED = 100_000;

    /** What an attempt may do before its password is checked. */
    public enum Verdict {
        /** Check the password. */
        CHECK,
        /** Only credentials verified recently (in the cache) are accepted; anything else is refused unchecked. */
        VERIFIED_ONLY,
        /** Refused unchecked, whatever the password. */
        LOCKED
    }

    /** A verdict and, for a lockout, how long it still lasts. */
    public record Decision(Verdict verdict, Duration retryAfter) {
        static final Decision CHECK = new Decision(Verdict.CHECK, Duration.ZERO);
    }

    private record Window(long startNanos, int failures) {
        boolean expired(long now, long windowNanos) {
            return now - startNanos >= windowNanos;
        }
    }

    private final SecurityUsersProperties.LoginThrottle settings;
    private final Predicate<String> knownUser;
    private final LongSupplier nanoClock;
    private final long windowNanos;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private volatile long lastPurgeNanos;

    /**
     * @param knownUser whether a user name exists; only those get per-user counts, so made-up names cannot fill
     *                  the table
     */
    public LoginThrottle(SecurityUsersProperties.LoginThrottle settings, Predicate<String> knownUser) {
        this(settings, knownUser, System::nanoTime);
    }

    LoginThrottle(SecurityUsersProperties.LoginThrottle settings, Predicate<String> knownUser, LongSupplier nanoClock) {
        this.settings = settings;
        this.knownUser = knownUser;
        this.nanoClock = nanoClock;
        this.windowNanos = settings.window().toNanos();
        this.lastPurgeNanos = nanoClock.getAsLong();
    }

    /** Whether an attempt by {@code user} from {@code address} may be checked. */
    public Decision check(String address, String user) {
        if (!settings.enabled()) {
            return Decision.CHECK;
        }
        long now = nanoClock.getAsLong();
        String client = clientKey(address);
        if (knownUser.test(user)) {
            Duration pair = lockedFor(pairKey(client, user), settings.maxFailuresPerIpAndUser(), now);
            if (pair != null) {
                return new Decision(Verdict.LOCKED, pair);
            }
            Duration userLock = lockedFor(userKey(user), settings.maxFailuresPerUser(), now);
            if (userLock != null) {
                return new Decision(Verdict.VERIFIED_ONLY, userLock);
            }
        }
        Duration addressLock = lockedFor(addressKey(client), settings.maxFailuresPerIp(), now);
        return addressLock != null ? new Decision(Verdict.VERIFIED_ONLY, addressLock) : Decision.CHECK;
    }

    /** A password check failed. */
    public void failed(String address, String user) {
        if (!settings.enabled()) {
            return;
        }
        long now = nanoClock.getAsLong();
        String client = clientKey(address);
        count(addressKey(client), now);
        if (knownUser.test(user)) {
            count(pairKey(client, user), now);
            count(userKey(user), now);
        }
    }

    /** An attempt refused unchecked by the address or user lockout: it counts for the address and user pair only. */
    public void refusedUnchecked(String address, String user) {
        if (settings.enabled() && knownUser.test(user)) {
            count(pairKey(clientKey(address), user), nanoClock.getAsLong());
        }
    }

    /** A password check succeeded: the pair's failures are forgiven (not the address's nor the user's). */
    public void succeeded(String address, String user) {
        if (settings.enabled()) {
            windows.remove(pairKey(clientKey(address), user));
        }
    }

    int trackedCounts() {
        return windows.size();
    }

    private Duration lockedFor(String key, int limit, long now) {
        Window window = windows.get(key);
        if (window == null || window.expired(now, windowNanos) || window.failures() < limit) {
            return null;
        }
        return Duration.ofNanos(windowNanos - (now - window.startNanos()));
    }

    private void count(String key, long now) {
        if (windows.size() >= MAX_TRACKED) {
            purgeExpired(now);
            if (windows.size() >= MAX_TRACKED && !windows.containsKey(key) && !key.startsWith("user|")) {
                return;
            }
        }
        windows.compute(key, (k, w) -> w == null || w.expired(now, windowNanos)
                ? new Window(now, 1)
                : new Window(w.startNanos(), w.failures() + 1));
    }

    private void purgeExpired(long now) {
        // At most once a second: a flood at the limit must not turn every failure into a full scan.
        if (now - lastPurgeNanos < 1_000_000_000L) {
            return;
        }
        lastPurgeNanos = now;
        windows.entrySet().removeIf(e -> e.getValue().expired(now, windowNanos));
    }

    private static String addressKey(String client) {
        return "ip|" + client;
    }

    private static String pairKey(String client, String user) {
        return "ip+user|" + client + "|" + name(user);
    }

    private static String userKey(String user) {
        return "user|" + name(user);
    }

    /** User names are case-insensitive at login (InMemoryUserDetailsManager), so they are counted that way too. */
    private static String name(String user) {
        return user.toLowerCase(Locale.ROOT);
    }

    /** The address as counted: IPv4 as is, IPv6 by its /64 prefix. */
    static String clientKey(String address) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        if (address.indexOf(':') < 0) {
            return address;
        }
        try {
            // A literal address: no name lookup happens.
            InetAddress parsed = InetAddress.getByName(address.startsWith("[") ? address.substring(1, address.length() - 1) : address);
            if (parsed instanceof Inet6Address) {
                byte[] bytes = parsed.getAddress();
                return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
            }
            return parsed.getHostAddress();
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
