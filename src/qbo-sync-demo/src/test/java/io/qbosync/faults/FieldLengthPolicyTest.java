package io.qbosync.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.qbosync.faults.FieldLengthPolicy.Choice;
import io.qbosync.faults.FieldLengthPolicy.Limit;

class FieldLengthPolicyTest {

    @Test
    void choicesByElementByLastPartAndDefault() {
        FieldLengthPolicy p = FieldLengthPolicy.parse("PrivateNote=truncate, Description=truncate ,DocNumber=fail");
        assertThat(p.choiceFor("PrivateNote")).isEqualTo(Choice.TRUNCATE);
        assertThat(p.choiceFor("privatenote")).isEqualTo(Choice.TRUNCATE);
        assertThat(p.choiceFor("Line.Description")).isEqualTo(Choice.TRUNCATE);
        assertThat(p.choiceFor("DocNumber")).isEqualTo(Choice.FAIL);
        assertThat(p.choiceFor("BillAddr.Line1")).isEqualTo(Choice.FAIL);
        assertThat(p.choiceFor("")).isEqualTo(Choice.FAIL);
        assertThat(FieldLengthPolicy.parse("*=truncate,DisplayName=fail").choiceFor("Notes")).isEqualTo(Choice.TRUNCATE);
        assertThat(FieldLengthPolicy.parse("*=truncate,DisplayName=fail").choiceFor("DisplayName")).isEqualTo(Choice.FAIL);
    }

    @Test
    void badEntriesAreRefusedWithTheEntry() {
        assertThatThrownBy(() -> FieldLengthPolicy.parse("PrivateNote=shorten")).hasMessageContaining("PrivateNote=shorten");
        assertThatThrownBy(() -> FieldLengthPolicy.parse("PrivateNote")).hasMessageContaining("field=truncate|fail");
    }

    @Test
    void limitsAreReadFromQbosDetailWithSeparators() {
        assertThat(FieldLengthPolicy.limit("String length specified does not match the supported length. Min:0 Max:21"
                + " supported. Supplied length:45")).contains(new Limit(21, 45));
        assertThat(FieldLengthPolicy.limit("Min:0 Max:4,000 supported. Supplied length: 4,006")).contains(new Limit(4000, 4006));
        assertThat(FieldLengthPolicy.limit("Min:0 Max:100 supported")).contains(new Limit(100, null));
        assertThat(FieldLengthPolicy.limit("something else")).isEmpty();
    }

    @Test
    void truncationKeepsTheLimitEndsWithTheMarkerAndNeverSplitsACharacter() {
        assertThat(FieldLengthPolicy.truncate("abcdefghij", 5, "…")).isEqualTo("abcd…");
        assertThat(FieldLengthPolicy.truncate("abc", 5, "…")).isEqualTo("abc");
        assertThat(FieldLengthPolicy.truncate("abcdef", 2, "[cut]")).isEqualTo("ab");
        String emoji = "ab\uD83D\uDE00\uD83D\uDE00cd";        // a, b, two emoji (surrogate pairs), c, d
        String cut = FieldLengthPolicy.truncate(emoji, 4, "…");
        assertThat(cut).isEqualTo("ab\uD83D\uDE00…");
        assertThat(cut.codePointCount(0, cut.length())).isEqualTo(4);
    }

    @Test
    void truncatesEveryValueAtTheElementPathInTheRequest() {
        ObjectNode body = SandboxQbo.JSON.createObjectNode();
        body.put("PrivateNote", "x".repeat(12));
        body.putArray("Line").addObject().put("Description", "y".repeat(12));
        body.withArray("Line").addObject().put("Description", "short");
        body.putObject("PrimaryEmailAddr").put("Address", "z".repeat(12));

        assertThat(FieldLengthPolicy.truncateAt(body, "Line.Description", 10, "…")).isEqualTo(1);
        assertThat(body.path("Line").path(0).path("Description").asText()).isEqualTo("y".repeat(9) + "…");
        assertThat(body.path("Line").path(1).path("Description").asText()).isEqualTo("short");
        assertThat(FieldLengthPolicy.truncateAt(body, "PrimaryEmailAddr.Address", 10, "…")).isEqualTo(1);
        // An element QBO names without its path is found by its last part.
        assertThat(FieldLengthPolicy.truncateAt(body, "Header.PrivateNote", 10, "…")).isEqualTo(1);
        assertThat(body.path("PrivateNote").asText()).hasSize(10);
        assertThat(FieldLengthPolicy.truncateAt(body, "Memo", 10, "…")).isZero();
    }
}
