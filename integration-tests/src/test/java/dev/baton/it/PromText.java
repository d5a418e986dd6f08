package dev.baton.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests (the Java client has
 * no parser): every line is a {@code # HELP}, a {@code # TYPE}, another comment, blank, or one
 * sample {@code name{label="value",...} value [timestamp]}. Refuses, naming the line: a bad metric
 * or label name, a bad escape, a value that is no float, a duplicate label, a family typed twice
 * or typed after its samples, a type that does not exist, and the same series twice.
 */
final class PromText {

    record Sample(String name, Map<String, String> labels, double value) {}

    private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
    private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_total", "_created");

    private final List<Sample> samples;

    private PromText(List<Sample> samples) {
        this.samples = samples;
    }

    static PromText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        Set<String> sampled = new HashSet<>();
        Set<String> series = new HashSet<>();
        String[] lines = text.split("\n", -1);
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("the last line does not end with a line feed");
        }
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            String where = "line " + (i + 1) + " '" + line + "': ";
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    if (!METRIC.matcher(parts[2]).matches()) {
                        throw new IllegalArgumentException(where + "bad metric name");
                    }
                    if (parts[1].equals("TYPE")) {
                        if (parts.length != 4 || !TYPES.contains(parts[3])) {
                            throw new IllegalArgumentException(where + "unknown type");
                        }
                        if (types.put(parts[2], parts[3]) != null) {
                            throw new IllegalArgumentException(where + "family typed twice");
                        }
                        if (sampled.contains(parts[2])) {
                            throw new IllegalArgumentException(where + "TYPE after the family's samples");
                        }
                    }
                }
                continue;
            }
            Sample s = sample(line, where);
            String key = s.name() + s.labels();
            if (!series.add(key)) {
                throw new IllegalArgumentException(where + "the same series twice");
            }
            sampled.add(s.name());
            for (String suffix : SUFFIXES) {
                if (s.name().endsWith(suffix)) {
                    sampled.add(s.name().substring(0, s.name().length() - suffix.length()));
                }
            }
            samples.add(s);
        }
        return new PromText(samples);
    }

    private static Sample sample(String line, String where) {
        Matcher m = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(line);
        if (!m.find()) {
            throw new IllegalArgumentException(where + "bad metric name");
        }
        String name = m.group(1);
        int at = name.length();
        Map<String, String> labels = new LinkedHashMap<>();
        if (at < line.length() && line.charAt(at) == '{') {
            at++;
            while (line.charAt(at) != '}') {
                int eq = line.indexOf('=', at);
                if (eq < 0) {
                    throw new IllegalArgumentException(where + "label without '='");
                }
                String label = line.substring(at, eq);
                if (!LABEL.matcher(label).matches()) {
                    throw new IllegalArgumentException(where + "bad label name '" + label + "'");
                }
                if (line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException(where + "label value not quoted");
                }
                StringBuilder value = new StringBuilder();
                int p = eq + 2;
                for (;; p++) {
                    if (p >= line.length()) {
                        throw new IllegalArgumentException(where + "unterminated label value");
                    }
                    char c = line.charAt(p);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        char e = line.charAt(++p);
                        switch (e) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new IllegalArgumentException(where + "bad escape \\" + e);
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new IllegalArgumentException(where + "label '" + label + "' twice");
                }
                at = p + 1;
                if (line.charAt(at) == ',') {
                    at++;
                } else if (line.charAt(at) != '}') {
                    throw new IllegalArgumentException(where + "expected ',' or '}' after a label");
                }
            }
            at++;
        }
        if (at >= line.length() || line.charAt(at) != ' ') {
            throw new IllegalArgumentException(where + "expected a space before the value");
        }
        String[] rest = line.substring(at + 1).split(" ");
        if (rest.length < 1 || rest.length > 2) {
            throw new IllegalArgumentException(where + "expected a value and at most a timestamp");
        }
        double value = number(rest[0], where);
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + "bad timestamp");
            }
        }
        return new Sample(name, labels, value);
    }

    private static double number(String s, String where) {
        switch (s) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + "value '" + s + "' is no float");
                }
        }
    }

    List<Sample> samples() {
        return samples;
    }

    /** The value of the series {@code name} with exactly {@code labels} (name, value, name, value...). */
    Optional<Double> value(String name, String... labels) {
        Map<String, String> want = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            want.put(labels[i], labels[i + 1]);
        }
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(want)).map(Sample::value).findFirst();
    }

    /** {@link #value}, failing when the series is absent. */
    double require(String name, String... labels) {
        return value(name, labels).orElseThrow(() -> new AssertionError("no series " + name + " " + List.of(labels)));
    }

    /** Every series of {@code name}. */
    List<Sample> all(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }
}
