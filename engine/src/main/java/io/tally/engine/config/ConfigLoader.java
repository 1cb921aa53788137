package io.tally.engine.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tally.engine.TallyError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a job's YAML and rejects anything malformed with one line that names the key and the fix. */
public final class ConfigLoader {

    /**
     * A parameter that carries a secret. Not Connector/J's trustCertificateKeyStorePassword: a trust store holds public
     * CA certificates only, and its password (often the well-known {@code changeit}) merely checks the file.
     */
    private static final Pattern URL_SECRET = Pattern.compile("(?i)(?<!trustcertificatekeystore)(password\\d*|passwd|pwd)=");

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public JobConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new TallyError("config file " + file + " does not exist; pass an existing YAML file to --config");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new TallyError("config file " + file + " is not valid UTF-8; save it as UTF-8 (names and values may "
                    + "use any Unicode character)");
        } catch (IOException e) {
            throw new TallyError("cannot read config file " + file + ": " + e.getClass().getSimpleName() + " "
                    + e.getMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        JobConfig config = new RuleLoader(yaml).merge(parse(text, file.toString()), base, file.toString())
                .withHistoryBase(base);
        RuleLoader.validate(config, file.toString());
        return config;
    }

    public JobConfig parse(String text, String origin) {
        JobConfig config;
        try {
            config = yaml.readValue(text, JobConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new TallyError(origin + ": " + unknownKey(e));
        } catch (JsonMappingException e) {
            if (e.getCause() != null && e.getCause().getClass().getName().contains("yaml")) {
                String at = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
                throw new TallyError(origin + ": malformed YAML" + at + ": " + firstLine(e.getCause().getMessage())
                        + "; fix the syntax there (indent with spaces, not tabs; close every [ and {)");
            }
            if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m && m.getTargetType() != null) {
                String path = where(e);
                throw new TallyError(origin + ": " + (path.isEmpty()
                        ? "the file must be a mapping with source, target and tables keys"
                        : path + "expected " + expected(m.getTargetType()) + " here")
                        + "; see docs/configuration.md");
            }
            throw new TallyError(origin + ": " + where(e) + firstLine(e.getOriginalMessage())
                    + "; see docs/configuration.md");
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            throw new TallyError(origin + ": malformed YAML" + at + ": " + firstLine(e.getOriginalMessage())
                    + "; fix the syntax there (indent with spaces, not tabs; close every [ and {)");
        }
        if (config == null) {
            throw new TallyError(origin + ": the file is empty; see conf/example.yaml");
        }
        validate(config, origin);
        RuleLoader.validate(config, origin);
        return config;
    }

    private static String unknownKey(UnrecognizedPropertyException e) {
        String key = e.getPropertyName();
        String path = where(e);
        if (key.equalsIgnoreCase("password")) {
            return path + "passwords are not read from the config file; put it in an environment variable "
                    + "and name it with password_env (or a file, with password_file)";
        }
        List<String> known = e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
        return path + "unknown key '" + key + "'; known keys here: " + String.join(", ", known);
    }

    private static String where(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        // The last element is the offending key itself for unknown keys; keep the parent path.
        if (e instanceof UnrecognizedPropertyException u) {
            String s = sb.toString();
            int cut = s.lastIndexOf(u.getPropertyName());
            s = cut > 0 ? s.substring(0, cut - 1) : "";
            return s.isEmpty() ? "" : s + ": ";
        }
        return sb.isEmpty() ? "" : sb + ": ";
    }

    private static String expected(Class<?> type) {
        if (type.isRecord() || java.util.Map.class.isAssignableFrom(type)) {
            return "a mapping of keys";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        return "a " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT) + " value";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid value";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static void validate(JobConfig c, String origin) {
        requireEndpoint(c.source(), "source", origin);
        requireEndpoint(c.target(), "target", origin);
        if (c.tables().isEmpty()) {
            throw new TallyError(origin + ": no tables to verify; add a 'tables:' list (see conf/example.yaml)");
        }
        JobOptions o = c.options();
        if (!java.util.List.of("auto", "round", "truncate").contains(o.temporalRounding())) {
            throw new TallyError(origin + ": options.temporal_rounding is '" + o.temporalRounding()
                    + "'; use auto, round or truncate");
        }
        if (!java.util.List.of("exact", "value", "strict").contains(o.documentNumbers())) {
            throw new TallyError(origin + ": options.document_numbers is '" + o.documentNumbers()
                    + "'; use exact, value or strict");
        }
        if (!java.util.List.of("auto", "pushdown", "full").contains(o.mode())) {
            throw new TallyError(origin + ": options.mode is '" + o.mode() + "'; use auto, pushdown or full");
        }
        if (!java.util.List.of("on", "off").contains(o.snapshot())) {
            throw new TallyError(origin + ": options.snapshot is '" + o.snapshot() + "'; use on or off");
        }
        try {
            o.limits(); // both durations parse
            o.chunkMillis();
        } catch (TallyError e) {
            throw new TallyError(origin + ": " + e.getMessage());
        }
        if (o.segmentRows() < 1) {
            throw new TallyError(origin + ": options.segment_rows must be at least 1");
        }
        if (o.rowsPerPartition() < 1 || o.maxPartitions() < 1 || o.sampleSize() < 0 || o.maxGroups() < 1) {
            throw new TallyError(origin + ": options.rows_per_partition, max_partitions and max_groups must be "
                    + "at least 1 and sample_size at least 0");
        }
        c.recheck().validate(origin);
        c.history().validate(origin);
        if (c.history().database() != null) {
            requireEndpoint(c.history().database(), "history.database", origin);
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < c.tables().size(); i++) {
            validateTable(c.tables().get(i), origin + ": tables[" + i + "]", names);
        }
        c.canary().validate(c.tables(), origin);
    }

    /** Spark JDBC options that shape the queries or the connection Tally builds; refused in {@code properties}. */
    private static final Set<String> SPARK_READER_OPTIONS = Set.of("url", "dbtable", "query", "preparequery", "driver",
            "partitioncolumn", "lowerbound", "upperbound", "numpartitions", "fetchsize", "sessioninitstatement",
            "customschema", "pushdownpredicate", "pushdownaggregate", "pushdownlimit", "pushdownoffset",
            "pushdowntablesample", "connectionprovider", "tally.session", "keytab", "principal", "querytimeout", "prefertimestampntz");

    /**
     * Whether the part between {@code ://} and the first {@code /}, {@code ?} or {@code #} holds {@code user:secret@}
     * in any host of it, whatever the scheme ({@code jdbc:mysql:loadbalance://}, {@code jdbc:mysql+srv://}, ...).
     */
    static boolean credentialsInAuthority(String url) {
        int start = url.indexOf("://");
        if (start < 0) {
            return false;
        }
        String rest = url.substring(start + 3);
        int end = rest.length();
        for (char c : new char[]{'/', '?', '#'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        for (String host : rest.substring(0, end).split(",")) { // h1,u:pw@h2 and u:pw@[h1,h2] as well as u:pw@h
            if (host.contains("@") && host.substring(0, host.lastIndexOf('@')).contains(":")) {
                return true;
            }
        }
        return false;
    }

    private static void requireEndpoint(EndpointConfig e, String role, String origin) {
        if (e == null || e.url() == null || e.url().isBlank()) {
            throw new TallyError(origin + ": " + role + ".url is missing; give a JDBC URL such as "
                    + "jdbc:postgresql://host:5432/db or jdbc:mysql://host:3306/db, or a mongodb:// URL");
        }
        if (URL_SECRET.matcher(e.url()).find() || credentialsInAuthority(e.url())) {
            throw new TallyError(origin + ": " + role + ".url contains a password; remove it and name an "
                    + "environment variable with " + role + ".password_env");
        }
        if (e.maxConnections() != null && e.maxConnections() < 2) {
            throw new TallyError(origin + ": " + role + ".max_connections is " + e.maxConnections() + "; use at least 2 "
                    + "(one connection reads the catalog, the others read in parallel)");
        }
        if (e.throttle() != null) {
            Throttle t = e.throttle();
            try {
                t.maxLagSeconds();
                t.maxWaitSeconds();
            } catch (TallyError bad) {
                throw new TallyError(origin + ": " + role + "." + bad.getMessage());
            }
            if (e.isDocument() || (t.maxRunning() == null && t.maxLag() == null) || (t.maxRunning() != null
                    && t.maxRunning() < 0)) {
                throw new TallyError(origin + ": " + role + ".throttle needs max_running (0 or more) or max_lag, on a "
                        + "relational side; e.g. throttle: {max_running: 40, max_lag: 10s}");
            }
        }
        if (e.passwordEnv() != null && e.passwordFile() != null) {
            throw new TallyError(origin + ": " + role + " sets both password_env and password_file; keep one");
        }
        if (e.passwordEnv() != null && !e.passwordEnv().matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
            // not echoed: a password written here by mistake must not reach the console
            throw new TallyError(origin + ": " + role + ".password_env is not an environment variable name (letters, "
                    + "digits and _); name the variable that holds the password, not the password itself");
        }
        for (String k : e.properties().keySet()) {
            if (e.isDocument() && !k.equals("partitioner") && !k.startsWith("partitioner.options.")) {
                throw new TallyError(origin + ": " + role + ".properties." + k + " is not a MongoDB read setting; "
                        + "use partitioner and partitioner.options.*, and put driver options in the URL");
            }
            if (!e.isDocument() && SPARK_READER_OPTIONS.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                throw new TallyError(origin + ": " + role + ".properties." + k + " is a Spark reader option Tally sets "
                        + "itself (it could change or add to the SQL every read runs); remove it");
            }
            if (URL_SECRET.matcher(k + "=").find()) {
                throw new TallyError(origin + ": " + role + ".properties holds a password; use "
                        + role + ".password_env instead");
            }
        }
        try {
            java.time.ZoneId.of(e.timeZone());
        } catch (java.time.DateTimeException ex) {
            throw new TallyError(origin + ": " + role + ".time_zone '" + e.timeZone()
                    + "' is not a zone; use an IANA name such as UTC or Europe/Berlin");
        }
    }

    private static void validateTable(TableConfig t, String at, Set<String> names) {
        if (t.source() == null || t.source().isBlank()) {
            throw new TallyError(at + ".source is missing; name the source table (schema.table or table)");
        }
        if (!names.add(t.name())) {
            throw new TallyError(at + ": table name '" + t.name() + "' appears twice; give one of them a 'name:'");
        }
        if (t.partitions() != null && t.partitions() < 1) {
            throw new TallyError(at + ".partitions must be at least 1");
        }
        if (t.timeWindow() != null && t.timeColumn() == null) {
            throw new TallyError(at + ".time_window is set without time_column; name the column to bucket");
        }
        if (t.timeColumn() != null) {
            windowMicros(t.timeWindow() == null ? "1d" : t.timeWindow(), at);
        }
        validateDocuments(t.documents(), at);
        if (!TableConfig.NULL_KEYS_REFUSE.equals(t.nullKeys()) && !TableConfig.NULL_KEYS_MATCH.equals(t.nullKeys())) {
            throw new TallyError(at + ".null_keys is '" + t.nullKeys() + "'; use refuse or match");
        }
        if (t.incremental() != null) {
            t.incremental().validate(at);
        }
        if (t.dedupe() != null) {
            var d = t.dedupe();
            if (d.key().isEmpty() || d.by() == null || d.by().isBlank()) {
                throw new TallyError(at + ".dedupe needs key and by, e.g. {key: [email], keep: latest, by: updated_at}");
            }
            if (!Dedupe.GREATEST.contains(d.keep()) && !Dedupe.LEAST.contains(d.keep())) {
                throw new TallyError(at + ".dedupe.keep is '" + d.keep() + "'; use latest, highest, earliest or lowest");
            }
        }
        if (!t.include().isEmpty() && !t.exclude().isEmpty()) {
            throw new TallyError(at + " sets both include and exclude; keep one");
        }
        t.columns().forEach((column, options) -> {
            if (options == null) {
                return;
            }
            if (options.type() != null && !ColumnOptions.TYPES.contains(options.type())) {
                throw new TallyError(at + ".columns." + column + ".type is '" + options.type()
                        + "'; use one of " + ColumnOptions.TYPES);
            }
            if (options.bson() != null && !ColumnOptions.BSON_TYPES.contains(options.bson())) {
                throw new TallyError(at + ".columns." + column + ".bson is '" + options.bson()
                        + "'; use one of " + ColumnOptions.BSON_TYPES);
            }
            for (String n : options.normalize()) {
                if (!ColumnOptions.NORMALIZATIONS.contains(n)) {
                    throw new TallyError(at + ".columns." + column + ".normalize has '" + n
                            + "'; use any of " + ColumnOptions.NORMALIZATIONS);
                }
            }
        });
    }

    private static void validateDocuments(DocumentRules d, String at) {
        if (!java.util.List.of("distinct", "null").contains(d.missingFields())) {
            throw new TallyError(at + ".documents.missing_fields is '" + d.missingFields() + "'; use distinct or null");
        }
        if (d.marker() != null && (d.marker().field() == null || d.marker().field().isBlank()
                || (d.marker().statusField() != null) != (d.marker().complete() != null))) {
            throw new TallyError(at + ".documents.marker needs field, and status_field with complete together "
                    + "(e.g. {field: migrationId, status_field: status, complete: complete})");
        }
        if (d.duplicates() != null) {
            var u = d.duplicates();
            if (u.key().isEmpty()) {
                throw new TallyError(at + ".documents.duplicates.key is empty; name the fields of the logical key");
            }
            if (!java.util.List.of("latest", "complete").contains(u.keep())) {
                throw new TallyError(at + ".documents.duplicates.keep is '" + u.keep() + "'; use latest or complete");
            }
            if (u.by() == null && u.keep().equals("latest")) {
                throw new TallyError(at + ".documents.duplicates.keep: latest needs 'by', the field that orders "
                        + "versions (e.g. updatedAt)");
            }
            if (u.keep().equals("complete") && (d.marker() == null || d.marker().statusField() == null)) {
                throw new TallyError(at + ".documents.duplicates.keep: complete needs documents.marker with "
                        + "status_field and complete");
            }
        }
        for (int i = 0; i < d.indexes().size(); i++) {
            var x = d.indexes().get(i);
            String where = at + ".documents.indexes[" + i + "]";
            if (x.keys() == null || x.keys().isEmpty()) {
                throw new TallyError(where + " needs keys, e.g. {keys: {customerId: 1, createdAt: -1}}");
            }
            x.keys().forEach((field, dir) -> {
                boolean number = dir instanceof Number n && (n.doubleValue() == 1 || n.doubleValue() == -1);
                if (!number && !DocumentRules.ExpectedIndex.TYPES.contains(String.valueOf(dir))) {
                    throw new TallyError(where + ".keys." + field + " is '" + dir + "'; use 1, -1 or one of "
                            + DocumentRules.ExpectedIndex.TYPES);
                }
            });
        }
        for (int i = 0; i < d.references().size(); i++) {
            var r = d.references().get(i);
            if (r.field() == null || r.collection() == null) {
                throw new TallyError(at + ".documents.references[" + i + "] needs field and collection "
                        + "(e.g. {field: userId, collection: users})");
            }
        }
    }

    /** Parses a window such as {@code 15m}, {@code 1h} or {@code 1d} into microseconds. */
    public static long windowMicros(String window, String at) {
        long seconds = Durations.seconds(window, at + ".time_window");
        if (seconds == 0) {
            throw new TallyError(at + ".time_window is '" + window + "'; a window must be longer than 0");
        }
        return seconds * 1_000_000L;
    }
}
