package io.qbosync.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qbosync.source.SourceRecordValidator;
import io.qbosync.source.feed.SourceKind;
import io.qbosync.source.sample.RecordCheck;

import java.util.List;

/** The sample source's patch check in the demo: qbo-sync's own validation of a source record. */
public final class PipelineRecordCheck implements RecordCheck {
    private final SourceRecordValidator validator = new SourceRecordValidator();

    @Override
    public List<String> problems(SourceKind kind, ObjectNode record) {
        return validator.validate(kind, record).errors();
    }
}
