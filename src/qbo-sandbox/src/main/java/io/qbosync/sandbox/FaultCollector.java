package io.qbosync.sandbox;

import java.util.ArrayList;
import java.util.List;

/** Gathers validation errors so that one Fault can report several (e.g. 2050 and 2020 together). */
final class FaultCollector {
    private final List<QboError> errors = new ArrayList<>();

    void add(QboError error) {
        errors.add(error);
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new QboFault(400, "ValidationFault", errors);
        }
    }
}
