package io.qbosync.source.sample;

import java.util.List;

/** A request the sample server refuses, with the HTTP status and the messages to send back. */
final class SampleRequestException extends RuntimeException {
    private final int status;
    private final List<String> errors;

    SampleRequestException(int status, List<String> errors) {
        super(String.join("; ", errors));
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    int status() {
        return status;
    }

    List<String> errors() {
        return errors;
    }
}
