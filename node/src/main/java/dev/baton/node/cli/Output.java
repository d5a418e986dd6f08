package dev.baton.node.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.baton.client.LeaderEvent;
import dev.baton.client.NodeStatusResult;
import dev.baton.client.ReadResult;
import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.LeaderInfo;
import dev.baton.client.wire.NodeStatus;
import dev.baton.client.wire.WriteResult;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Formats what the operator commands print. Pure: strings in, strings out. */
final class Output {

    static final String UNREACHABLE = "UNREACHABLE";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private Output() {}

    /** Left-aligned columns separated by two spaces, no trailing blanks, one line per row. */
    static String table(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("row has " + row.size() + " cells, header " + header.size());
            }
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(row.get(i));
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /**
     * ID ROLE TERM LEADER COMMIT APPLIED URL; an unreachable node shows as UNREACHABLE; then the
     * storage faults and cluster problems the nodes report.
     */
    /**
     * One row per node. LAG is the entries the node has not acknowledged as the ACTIVE reports it
     * (of the highest term among those answering; "-" for the ACTIVE itself or with no ACTIVE);
     * LEASE is the time left of the lease a leading node holds ("-" on the others).
     */
    static String statusTable(List<NodeStatusResult> results) {
        Map<String, Long> lag = lagByActive(results);
        List<List<String>> rows = new ArrayList<>();
        for (NodeStatusResult r : results) {
            NodeStatus s = r.status();
            if (s == null) {
                rows.add(List.of("-", UNREACHABLE, "-", "-", "-", "-", "-", "-", r.node().toString()));
            } else {
                Long l = s.id() == null ? null : lag.get(s.id());
                rows.add(List.of(
                        orDash(s.id()),
                        orDash(s.role()),
                        Long.toString(s.term()),
                        s.leader() == null ? "-" : orDash(s.leader().id()),
                        Long.toString(s.commitIndex()),
                        Long.toString(s.appliedIndex()),
                        l == null ? "-" : Long.toString(l),
                        s.leaseRemainingMs() == null ? "-" : seconds(s.leaseRemainingMs()),
                        r.node().toString()));
            }
        }
        return table(List.of("ID", "ROLE", "TERM", "LEADER", "COMMIT", "APPLIED", "LAG", "LEASE", "URL"), rows) + problems(results);
    }

    /** The followers' lag as the ACTIVE of the highest term reports it; empty with none. */
    private static Map<String, Long> lagByActive(List<NodeStatusResult> results) {
        NodeStatus active = null;
        for (NodeStatusResult r : results) {
            NodeStatus s = r.status();
            if (s != null && "ACTIVE".equals(s.role()) && (active == null || s.term() > active.term())) {
                active = s;
            }
        }
        Map<String, Long> lag = new LinkedHashMap<>();
        if (active != null && active.members() != null) {
            for (var m : active.members()) {
                if (m.lagEntries() != null) {
                    lag.put(m.id(), m.lagEntries());
                }
            }
        }
        return lag;
    }

    /** {@code 1.25s}: ms as seconds with two decimals. */
    static String seconds(long ms) {
        return String.format(java.util.Locale.ROOT, "%.2fs", ms / 1000.0);
    }

    /**
     * Under the table, one line per node that cannot persist ({@code n2 is UNHEALTHY: REASON}) and
     * per distinct cluster problem a node reports ({@code n1 says: no majority can persist ...}).
     */
    private static String problems(List<NodeStatusResult> results) {
        StringBuilder out = new StringBuilder();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (NodeStatusResult r : results) {
            NodeStatus s = r.status();
            if (s != null && s.health() != null && !s.health().ok()) {
                out.append(orDash(s.id())).append(" is UNHEALTHY: ").append(escape(orDash(s.health().reason()))).append('\n');
            }
        }
        for (NodeStatusResult r : results) {
            NodeStatus s = r.status();
            if (s != null && s.problem() != null && seen.add(s.problem())) {
                out.append(orDash(s.id())).append(" says: ").append(escape(s.problem())).append('\n');
            }
        }
        return out.toString();
    }

    /** {@code ID URL term N}. */
    static String leaderLine(LeaderInfo leader) {
        return orDash(leader.id()) + " " + leader.url() + " term " + leader.term();
    }

    /** {@code {"event":"leader","term":N,"id":ID,"url":URL}} or {@code {"event":"no_leader","term":N}}. */
    static String eventJson(LeaderEvent event) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", event.hasLeader() ? "leader" : "no_leader");
        m.put("term", event.term());
        event.leader().ifPresent(l -> {
            m.put("id", l.id());
            m.put("url", l.url());
        });
        return json(m);
    }

    /** A stale read as {@code {key,value,revision,node,appliedIndex,stalenessMs}}; absent key: key only. */
    static String staleJson(String key, ReadResult<Optional<KvEntry>> read) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        read.value().ifPresent(e -> {
            m.put("value", e.value());
            m.put("revision", e.revision());
        });
        m.put("node", read.node().toString());
        m.put("appliedIndex", read.appliedIndex());
        m.put("stalenessMs", read.stalenessMs());
        return json(m);
    }

    /** {@code revision N term T}. */
    static String writeLine(WriteResult result) {
        return "revision " + result.revision() + " term " + result.term();
    }

    /** KEY REVISION VALUE, control characters in values escaped so each entry stays on one line. */
    /** {@code s} as one shell word: as it is when it is plainly safe, else single-quoted. */
    static String shellQuote(String s) {
        if (!s.isEmpty() && s.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c) || "-_./:=@%+,".indexOf(c) >= 0))) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static String entriesTable(List<KvEntry> entries) {
        List<List<String>> rows = new ArrayList<>();
        for (KvEntry e : entries) {
            rows.add(List.of(escape(e.key()), Long.toString(e.revision()), escape(e.value() == null ? "" : e.value())));
        }
        return table(List.of("KEY", "REVISION", "VALUE"), rows);
    }

    /** {@code [{"node":URL,"status":{...}} | {"node":URL,"error":"..."}]}. */
    static String statusJson(List<NodeStatusResult> results) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (NodeStatusResult r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", r.node().toString());
            if (r.status() != null) {
                m.put("status", r.status());
            } else {
                m.put("error", r.error().getMessage());
            }
            out.add(m);
        }
        return json(out);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Backslash-escapes backslash and control characters (\n, \t, \r, others as \\uXXXX). */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
