package io.qbosync;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Starts qbo-sync: Camel routes from {@code routes/} and the sync store. With the demo module on the class path (the
 * README's run command) its configurations in {@code io.qbosync.demo} also start the QBO sandbox and the sample source.
 */
@SpringBootApplication
public class QboSyncApplication {
    public static void main(String[] args) {
        SpringApplication.run(QboSyncApplication.class, args);
    }
}
