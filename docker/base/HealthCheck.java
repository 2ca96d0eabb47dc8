import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The image's health-check command (it has no shell, curl or wget): exits 0 when the URL answers 2xx, else 1.
 * Compiled into the base image by docker/base/build-base.sh and run with a small heap, e.g.
 * {@code java -Xmx16m -XX:TieredStopAtLevel=1 -cp /opt/qbosync/healthcheck HealthCheck http://127.0.0.1:8081/actuator/health/readiness}.
 * The URL defaults to that readiness probe. Uses java.base only.
 */
public final class HealthCheck {

    public static void main(String[] args) {
        String url = args.length > 0 ? args[0] : "http://127.0.0.1:8081/actuator/health/readiness";
        try {
            HttpURLConnection http = (HttpURLConnection) URI.create(url).toURL().openConnection();
            http.setConnectTimeout(2000);
            http.setReadTimeout(3000);
            http.setInstanceFollowRedirects(false);
            int status = http.getResponseCode();
            System.out.println(url + " -> " + status);
            System.exit(status >= 200 && status < 300 ? 0 : 1);
        } catch (Exception e) {
            System.out.println(url + " -> " + e);
            System.exit(1);
        }
    }

    private HealthCheck() {
    }
}
