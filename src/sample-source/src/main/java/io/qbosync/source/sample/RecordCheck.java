package io.qbosync.source.sample;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qbosync.source.feed.SourceKind;

import java.util.List;

/**
 * What {@code PUT /sample/records} refuses, beyond a missing id. The sample on its own takes any record (bad ones
 * are what its consumers must cope with); the demo wiring plugs in qbo-sync's own validation so that a patch the
 * pipeline would refuse gets its 400 up front ({@code /sample/malformed} still serves broken records on purpose).
 */
@FunctionalInterface
public interface RecordCheck {

    RecordCheck NONE = (kind, record) -> List.of();

    /** The problems of a record after the patch, each naming the record; empty when it is fine. */
    List<String> problems(SourceKind kind, ObjectNode record);
}
