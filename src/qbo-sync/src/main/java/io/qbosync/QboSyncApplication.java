package io.qbosync;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Starts qbo-sync: Camel routes from {@code routes/}, the sync store, and (by default) the bundled QBO sandbox and sample source. */
@SpringBootApplication
public class QboSyncApplication {
    public static void main(String[] args) {
        SpringApplication.run(QboSyncApplication.class, args);
    }
}
