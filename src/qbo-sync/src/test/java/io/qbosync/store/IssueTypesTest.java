package io.qbosync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.qbosync.component.qbo.QboFaultFamily;
import io.qbosync.faults.QboConnectionGuard;
import io.qbosync.ops.RecordActions;

/** The fault code to issue type mapping and the actions each type offers. */
class IssueTypesTest {

    @ParameterizedTest
    @CsvSource({
        "6240, DUPLICATE_NAME",
        "6140, DUPLICATE_DOC_NUMBER",
        "610, STALE_REFERENCE",
        "2500, STALE_REFERENCE",
        "2050, STRING_TOO_LONG",
        "5010, STALE_SYNC_TOKEN",
        "401, AUTH",
        "3200, AUTH",
        "3100, AUTH",
        "6190, AUTH",
        "invalid_grant, AUTH",
        "QBO_CONNECTION_LOST, AUTH",
        "429, TRANSIENT_EXHAUSTED",
        "3001, TRANSIENT_EXHAUSTED",
        "10000, TRANSIENT_EXHAUSTED",
        "HTTP_503, TRANSIENT_EXHAUSTED",
        "HTTP_429, TRANSIENT_EXHAUSTED",
        "NO_ANSWER, TRANSIENT_EXHAUSTED",
        // QBO's code 500 is "Unsupported Operation" (HTTP 400), not an outage.
        "500, QBO_VALIDATION",
        "2020, QBO_VALIDATION",
        "6000, QBO_VALIDATION",
        "HTTP_400, QBO_VALIDATION",
        "DUPLICATE_MATCH, DUPLICATE_MATCH",
        "SOURCE_INVALID, SOURCE_INVALID",
        "ITEM_NOT_FOUND, ITEM_NOT_FOUND",
        "INTERNAL_ERROR, INTERNAL_ERROR",
    })
    void faultCodesMapToTheirFamily(String code, String type) {
        assertThat(IssueTypes.typeOf(code)).isEqualTo(type);
        assertThat(IssueTypes.isIssue(code)).isTrue();
    }

    @Test
    void aQboFaultsIssueTypeIsItsFamilys() {
        assertThat(Stream.of(QboFaultFamily.values()).map(QboFaultFamily::issueType)).containsExactlyInAnyOrder(
                IssueTypes.AUTH, IssueTypes.DUPLICATE_NAME, IssueTypes.DUPLICATE_DOC_NUMBER, IssueTypes.STALE_REFERENCE,
                IssueTypes.STALE_SYNC_TOKEN, IssueTypes.STRING_TOO_LONG, IssueTypes.TRANSIENT_EXHAUSTED,
                IssueTypes.QBO_VALIDATION);
        for (QboFaultFamily family : QboFaultFamily.values()) {
            for (String code : family.qboCodes()) {
                assertThat(IssueTypes.typeOf(code)).as("issue type of %s", code).isEqualTo(family.issueType());
            }
        }
    }

    @Test
    void theConnectionGuardsCodeIsAnAuthIssue() {
        assertThat(IssueTypes.typeOf(QboConnectionGuard.CONNECTION_LOST)).isEqualTo(IssueTypes.AUTH);
    }

    @Test
    void statesThatEndByThemselvesAreNoIssue() {
        assertThat(IssueTypes.isIssue(SyncRecordRepository.WAITING_FOR_DEPENDENCY)).isFalse();
        assertThat(IssueTypes.isIssue("SKIPPED")).isFalse();
        assertThat(IssueTypes.isIssue(null)).isFalse();
        assertThat(IssueTypes.isIssue(" ")).isFalse();
    }

    @Test
    void actionsFitTheTypeAndAreTheRecordActionsNames() {
        assertThat(IssueTypes.actionsFor(IssueTypes.DUPLICATE_NAME, EntityType.CUSTOMER))
                .containsExactly(RecordActions.MATCH, RecordActions.CREATE, RecordActions.RESYNC, RecordActions.SKIP);
        assertThat(IssueTypes.actionsFor(IssueTypes.DUPLICATE_MATCH, EntityType.CUSTOMER))
                .containsExactly(RecordActions.MATCH, RecordActions.CREATE, RecordActions.SKIP);
        assertThat(IssueTypes.actionsFor(IssueTypes.STALE_REFERENCE, EntityType.INVOICE))
                .containsExactly(RecordActions.RESYNC, RecordActions.CLEAR_QBO_ID, RecordActions.SKIP);
        assertThat(IssueTypes.actionsFor(IssueTypes.DUPLICATE_DOC_NUMBER, EntityType.INVOICE))
                .containsExactly(RecordActions.RESYNC, RecordActions.SKIP);
        assertThat(IssueTypes.actionsFor("SOURCE_INVALID", EntityType.PAYMENT))
                .containsExactly(RecordActions.RESYNC, RecordActions.SKIP);
    }
}
