package io.tally.engine.canonical;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Canonical JSON in the spirit of RFC 8785: object keys sorted by UTF-16 code units (as RFC 8785), no insignificant white space,
 * numbers as exact decimals without trailing zeros ({@code 1.0} = {@code 1}, {@code 1e2} = {@code 100}),
 * strings with JSON's minimal escaping. Duplicate keys keep the last value, as PostgreSQL jsonb does.
 */
final class JsonCanonicalizer {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonCanonicalizer() {
    }

    /** The canonical text, or null when the input is not JSON. */
    static String canonical(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                return null;
            }
            StringBuilder sb = new StringBuilder(json.length());
            write(node, sb);
            return sb.toString();
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static void write(JsonNode node, StringBuilder sb) throws JsonProcessingException {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            sb.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(MAPPER.writeValueAsString(names.get(i))).append(':');
                write(node.get(names.get(i)), sb);
            }
            sb.append('}');
        } else if (node.isArray()) {
            sb.append('[');
            Iterator<JsonNode> it = node.elements();
            boolean first = true;
            while (it.hasNext()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                write(it.next(), sb);
            }
            sb.append(']');
        } else if (node.isNumber()) {
            BigDecimal d = node.decimalValue().stripTrailingZeros();
            sb.append(d.signum() == 0 ? "0" : d.toPlainString());
        } else {
            sb.append(MAPPER.writeValueAsString(node));
        }
    }
}
