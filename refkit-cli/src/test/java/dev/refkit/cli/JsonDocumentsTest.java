package dev.refkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON documents of analyze, diff, histogram and paths against their description in docs/JSON.md: each is
 * valid JSON on standard output ({@code --json -}) with nothing else there, carries the schema version the page
 * describes and the refkit version, writes no field the page does not list (with a type it does not list), and
 * writes every field the page lists (but those under an array that is empty in the dump at hand).
 */
class JsonDocumentsTest {

    private static final Path DESCRIPTION = Path.of("..", "docs", "JSON.md");

    @TempDir
    static Path dir;
    static Path leaky;
    static Map<String, Map<String, Set<String>>> described;

    @BeforeAll
    static void writeDumpsAndReadTheDescription() throws Exception {
        leaky = dir.resolve("leaky.hprof");
        ChildDump.run(LeakyApp.class, "64m", leaky.toString());
        ChildDump.run(GrowingApp.class, "256m", dir.resolve("grow").toString(), "leak");
        described = describedFields(Files.readString(DESCRIPTION));
    }

    @Test
    void theDescriptionIsOfTheSchemaVersionTheCommandsWrite() throws IOException {
        assertThat(Files.readString(DESCRIPTION)).contains("This page describes schema version **" + JsonReport.SCHEMA_VERSION + "**");
    }

    @Test
    void analyzeWritesTheAnalysisAsDescribed() {
        assertAsDescribed("analysis", json("analyze", leaky.toString(), "--top", "3", "--json", "-"));
    }

    @Test
    void diffWritesTheComparisonAsDescribed() {
        assertAsDescribed("diff", json("diff", dir.resolve("grow-1.hprof").toString(), dir.resolve("grow-2.hprof").toString(),
                dir.resolve("grow-3.hprof").toString(), "--json", "-"));
    }

    @Test
    void histogramWritesItsRowsAsDescribed() {
        assertAsDescribed("histogram", json("histogram", leaky.toString(), "--top", "5", "--json", "-"),
                json("histogram", leaky.toString(), "--filter", "LeakyApp", "--sort", "retained", "--json", "-"));
    }

    @Test
    void pathsWritesItsGroupsAsDescribed() {
        Map<String, Object> byClass = json("paths", leaky.toString(), "--class", "LeakyApp\\$(Owner|Listener)", "--json", "-");
        @SuppressWarnings("unchecked")
        String registryId = (String) ((List<Map<String, Object>>) ((List<Map<String, Object>>) ((List<Map<String, Object>>)
                ((List<Map<String, Object>>) byClass.get("roots")).get(0).get("children")).get(0).get("children")).get(0)
                .get("children")).stream().findFirst().orElseThrow().get("id");
        Map<String, Object> byObject = json("paths", leaky.toString(), "--object", registryId, "--json", "-");

        assertThat(byClass).containsEntry("reached", 600.0);
        assertThat(byObject).containsEntry("object", registryId).containsEntry("reached", 1.0);
        assertAsDescribed("paths", byClass, byObject);
    }

    /** Runs the command; its standard output must be one JSON object and nothing else. */
    private static Map<String, Object> json(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = RefkitCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertThat(exit).as(err.toString()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> document = (Map<String, Object>) StrictJson.parse(out.toString());
        return document;
    }

    @SafeVarargs
    private static void assertAsDescribed(String kind, Map<String, Object>... documents) {
        Map<String, Set<String>> written = new HashMap<>();
        Set<String> emptyArrays = new HashSet<>();
        for (Map<String, Object> document : documents) {
            assertThat(document).containsEntry("schemaVersion", (double) JsonReport.SCHEMA_VERSION).containsEntry("kind", kind)
                    .containsKey("refkitVersion");
            fields(document, "", written, emptyArrays);
        }
        Map<String, Set<String>> expected = new LinkedHashMap<>(described.get("every"));
        expected.putAll(described.get(kind));

        for (Map.Entry<String, Set<String>> field : written.entrySet()) {
            assertThat(expected).as("%s writes %s, which docs/JSON.md does not describe", kind, field.getKey())
                    .containsKey(field.getKey());
            assertThat(expected.get(field.getKey())).as("the types of %s.%s", kind, field.getKey())
                    .containsAll(field.getValue());
        }
        Set<String> unwritten = new TreeSet<>(expected.keySet());
        unwritten.removeAll(written.keySet());
        unwritten.removeIf(path -> emptyArrays.stream().anyMatch(array -> path.startsWith(array + "[]")));
        assertThat(unwritten).as("fields docs/JSON.md describes for %s that it does not write", kind).isEmpty();
    }

    /** Every field's path ({@code suspects[].owner.type}) and the JSON types written there; a tree's children fold in. */
    private static void fields(Object value, String path, Map<String, Set<String>> fields, Set<String> emptyArrays) {
        String name = path.replace(".children[]", "");
        if (!path.isEmpty() && !path.endsWith("[]")) {
            fields.computeIfAbsent(name, p -> new TreeSet<>()).add(type(value));
        }
        if (value instanceof Map<?, ?> object) {
            object.forEach((key, child) -> fields(child, path.isEmpty() ? (String) key : path + "." + key, fields, emptyArrays));
        } else if (value instanceof List<?> array) {
            if (array.isEmpty()) {
                emptyArrays.add(name);
            }
            for (Object element : array) {
                if (element instanceof Map) {
                    fields(element, path + "[]", fields, emptyArrays);
                }
            }
        }
    }

    private static String type(Object value) {
        return value == null ? "null" : value instanceof Map ? "object" : value instanceof List ? "array"
                : value instanceof String ? "string" : value instanceof Boolean ? "boolean" : "number";
    }

    /**
     * The page's tables, by document kind ({@code every} for the fields of every document): the field's path in the
     * first cell, its types in the second ({@code string or null}).
     */
    private static Map<String, Map<String, Set<String>>> describedFields(String page) {
        Map<String, Map<String, Set<String>>> byKind = new HashMap<>();
        Map<String, Set<String>> current = null;
        Pattern row = Pattern.compile("^\\| `([^`]+)` \\| ([a-z ]+) \\|");
        for (String line : page.lines().toList()) {
            if (line.startsWith("## ")) {
                Matcher kind = Pattern.compile("^## `([a-z]+)`").matcher(line);
                current = byKind.computeIfAbsent(kind.find() ? kind.group(1) : "every", k -> new LinkedHashMap<>());
                continue;
            }
            Matcher field = row.matcher(line);
            if (current != null && field.find()) {
                current.put(field.group(1), new TreeSet<>(List.of(field.group(2).trim().split(" or "))));
            }
        }
        return byKind;
    }
}
