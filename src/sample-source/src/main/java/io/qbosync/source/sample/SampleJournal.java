package io.qbosync.source.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qbosync.source.feed.SourceJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Append-only JSON-lines file of everything that changed after generation (runtime records, malformed
 * injections, write-backs). Each line is forced to disk before the HTTP reply, so an acknowledged change
 * survives a crash; a torn last line (crash mid-write) is cut off on the next start.
 */
final class SampleJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SampleJournal.class);
    static final String FILE_NAME = "journal.jsonl";

    private final Path file;
    private final FileChannel channel;

    private SampleJournal(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens (creating) the journal in {@code dir} and returns it with the entries already in it. */
    static Opened open(Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(FILE_NAME);
            List<ObjectNode> entries = new ArrayList<>();
            if (Files.exists(file)) {
                byte[] all = Files.readAllBytes(file);
                int end = all.length;
                while (end > 0 && all[end - 1] != '\n') {
                    end--;
                }
                if (end < all.length) {
                    LOG.warn("Sample source journal {}: dropping an incomplete last entry of {} bytes", file, all.length - end);
                }
                int start = 0;
                int lineNo = 0;
                for (int i = 0; i < end; i++) {
                    if (all[i] == '\n') {
                        lineNo++;
                        if (i > start) {
                            try {
                                JsonNode n = SourceJson.mapper().readTree(all, start, i - start);
                                if (n instanceof ObjectNode o) {
                                    entries.add(o);
                                } else {
                                    LOG.warn("Sample source journal {} line {}: not an object, skipped", file, lineNo);
                                }
                            } catch (IOException e) {
                                LOG.warn("Sample source journal {} line {}: unreadable, skipped ({})", file, lineNo, e.getMessage());
                            }
                        }
                        start = i + 1;
                    }
                }
                if (end < all.length) {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.truncate(end);
                    }
                }
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return new Opened(new SampleJournal(file, channel), entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open sample source journal in " + dir, e);
        }
    }

    /** Appends one entry and forces it to disk. Callers hold the store lock, so lines never interleave. */
    void append(ObjectNode entry) {
        try {
            byte[] line = SourceJson.mapper().writeValueAsBytes(entry);
            ByteBuffer buf = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write sample source journal " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("Closing sample source journal {}: {}", file, e.getMessage());
        }
    }

    record Opened(SampleJournal journal, List<ObjectNode> entries) {
    }
}
