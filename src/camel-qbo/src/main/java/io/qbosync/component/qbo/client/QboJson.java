package io.qbosync.component.qbo.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * The one ObjectMapper configuration used for QBO traffic. Money stays exact: JSON decimals are read as
 * {@link java.math.BigDecimal} and written without exponent.
 */
public final class QboJson {

    private QboJson() {
    }

    /** Creates a mapper for QBO payloads (thread-safe once built; share it). */
    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .findAndAddModules()
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                .build();
    }
}
