package io.qbosync.component.qbo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which family a QBO fault belongs to, hence which {@code qbo-errors-*} route configuration takes it: every code the
 * routes named before the families existed, the class-decided families, and the faults two of the old per-route
 * predicates both matched (a code family sent with a 429 or 5xx goes by its code).
 */
class QboFaultFamilyTest {

    private static QboFaultException fault(int status, String code, String message) {
        return new QboFaultException(status, "ValidationFault", List.of(new QboError(code, message, "detail", null)),
                "tid-1", null, false, "9130", "req-1", null);
    }

    @ParameterizedTest(name = "HTTP {0} code {1} -> {3}")
    @CsvSource(nullValues = "null", value = {
        "400, 6240, Duplicate Name Exists Error, DUPLICATE_NAME",
        "400, 6140, Duplicate Document Number Error, DUPLICATE_DOC_NUMBER",
        "400, 610, Object Not Found, STALE_REFERENCE",
        "400, 2500, Invalid Reference Id, STALE_REFERENCE",
        "400, 5010, Stale Object Error, STALE_SYNC_TOKEN",
        "400, 2050, String length is either shorter or longer than supported by specification, STRING_TOO_LONG",
        // Code families go by code whatever the status: the old code predicates came before the transient one.
        "429, 6240, Duplicate Name Exists Error, DUPLICATE_NAME",
        "429, 6140, Duplicate Document Number Error, DUPLICATE_DOC_NUMBER",
        "401, 3200, AuthenticationFailed, AUTH",
        "403, 3100, ApplicationAuthorizationFailed, AUTH",
        "400, 120, Authorization Failure, AUTH",
        "400, 130, Authorization Failure, AUTH",
        "400, 6190, Invalid Company Status, AUTH",
        "401, null, Unauthorized, AUTH",
        "403, null, Forbidden, AUTH",
        "429, null, Too Many Requests, TRANSIENT",
        "429, 3001, ThrottleExceeded, TRANSIENT",
        "400, 10000, An application error has occurred, TRANSIENT",
        "503, null, 503 Service Unavailable, TRANSIENT",
        "500, null, Internal Server Error, TRANSIENT",
        "408, null, Request Timeout, TRANSIENT",
        "400, 6000, A business validation error has occurred, VALIDATION",
        "500, 6000, An unexpected internal error has occurred, TRANSIENT",
        // 3100 during an outage is QBO being unwell, not a lost authorization.
        "503, 3100, ApplicationAuthorizationFailed, TRANSIENT",
        "400, 2020, Required param missing, VALIDATION",
        "400, 2010, Request has invalid or unsupported property, VALIDATION",
        "400, 6070, Invalid Reference, VALIDATION",
        "400, 6210, Account Period Closed, VALIDATION",
        "400, 6540, Deposited Transaction cannot be changed, VALIDATION",
        "400, 500, Unsupported Operation, VALIDATION",
        "400, null, Bad Request, VALIDATION",
    })
    void liveFaultsBelongToOneFamily(int status, String code, String message, QboFaultFamily family) {
        QboFaultException fault = fault(status, code, message);
        assertThat(fault.family()).isEqualTo(family);
        assertThat(QboFaultFamily.of(fault)).isEqualTo(family);
    }

    @Test
    void aRefusedRefreshTokenIsAuthWhateverItsCode() {
        assertThat(new QboConnectionExpiredException("9130", "invalid_grant", "refresh token revoked").family())
                .isEqualTo(QboFaultFamily.AUTH);
        assertThat(new QboConnectionExpiredException("9130", "EXPIRED", "marked expired").family())
                .isEqualTo(QboFaultFamily.AUTH);
    }

    @Test
    void noAnswerIsTransient() {
        QboTransportException timeout = new QboTransportException(0, "request timed out", true, null, "9130", "req-1",
                new IOException("timeout"));
        assertThat(timeout.family()).isEqualTo(QboFaultFamily.TRANSIENT);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "6240, DUPLICATE_NAME",
        "6140, DUPLICATE_DOC_NUMBER",
        "610, STALE_REFERENCE",
        "2500, STALE_REFERENCE",
        "5010, STALE_SYNC_TOKEN",
        "2050, STRING_TOO_LONG",
        "3200, AUTH",
        "3100, AUTH",
        "401, AUTH",
        "HTTP_403, AUTH",
        "invalid_grant, AUTH",
        "REVOKED, AUTH",
        "QBO_CONNECTION_LOST, AUTH",
        "429, TRANSIENT",
        "3001, TRANSIENT",
        "10000, TRANSIENT",
        "HTTP_502, TRANSIENT",
        "NO_ANSWER, TRANSIENT",
        // Only the code is stored: a 6000 that was transient when live reads back as a validation fault.
        "6000, VALIDATION",
        "500, VALIDATION",
        "HTTP_400, VALIDATION",
        "' 6240 ', DUPLICATE_NAME",
    })
    void storedCodesReadBackAsTheirFamily(String code, QboFaultFamily family) {
        assertThat(QboFaultFamily.ofCode(code)).contains(family);
    }

    @Test
    void qboSyncsOwnCodesAreNoQboFamily() {
        assertThat(QboFaultFamily.ofCode("DUPLICATE_MATCH")).isEmpty();
        assertThat(QboFaultFamily.ofCode("ITEM_NOT_FOUND")).isEmpty();
        assertThat(QboFaultFamily.ofCode("WAITING_FOR_DEPENDENCY")).isEmpty();
        assertThat(QboFaultFamily.ofCode(null)).isEmpty();
        assertThat(QboFaultFamily.ofCode(" ")).isEmpty();
    }

    @Test
    void eachFamilyHasItsOwnRouteConfigurationAndIssueType() {
        List<QboFaultFamily> families = List.of(QboFaultFamily.values());
        assertThat(families.stream().map(QboFaultFamily::routeConfiguration).distinct()).hasSize(families.size())
                .allMatch(id -> id.startsWith("qbo-errors-"));
        assertThat(families.stream().map(QboFaultFamily::issueType).distinct()).hasSize(families.size());
    }

    @Test
    void onlyQbo610MeansTheEntityItselfIsGone() {
        assertThat(fault(400, "610", "Object Not Found").objectNotFound()).isTrue();
        assertThat(fault(400, "2500", "Invalid Reference Id").objectNotFound()).isFalse();
    }
}
