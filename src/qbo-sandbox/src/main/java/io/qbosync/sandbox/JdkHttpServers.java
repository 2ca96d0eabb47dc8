package io.qbosync.sandbox;

/** Settings shared by the bundled servers built on the JDK's HTTP server (QBO sandbox, sample source). */
public final class JdkHttpServers {

    private JdkHttpServers() {
    }

    /**
     * Turns on TCP_NODELAY for every JDK HTTP server in this JVM, unless the JVM was started with a choice. The JDK
     * server writes headers and body separately; without it Nagle's algorithm and the client's delayed ACK add ~40 ms
     * to every answer. The property is read once, when the first server is created, so call this before that.
     */
    public static void useNoDelay() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }
}
