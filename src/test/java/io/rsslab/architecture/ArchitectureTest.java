package io.rsslab.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The layers of docs/architecture.md, checked on the compiled classes with
 * jdeps: every dependency between rsslab's packages goes to a lower layer
 * (so there is no cycle), and every package is in the page's table.
 */
class ArchitectureTest {

    static final Path CLASSES = Path.of("target/classes");
    static final Pattern LAYER_ROW = Pattern.compile("^\\| (\\d+) \\| `(io\\.rsslab\\.[a-z.]+)` \\|");
    static final Pattern EDGE = Pattern.compile("^\\s+(io\\.rsslab\\.[a-z.]+)\\s+-> (io\\.rsslab\\.[a-z.]+)\\s");

    /** package -> layer, from the page. */
    static Map<String, Integer> layers() throws IOException {
        Map<String, Integer> m = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("docs/architecture.md"))) {
            Matcher r = LAYER_ROW.matcher(line);
            if (r.find()) {
                m.put(r.group(2), Integer.parseInt(r.group(1)));
            }
        }
        return m;
    }

    /** "from -> to" for every dependency between two rsslab packages, as jdeps finds it. */
    static List<String[]> edges() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError(
                "jdeps is not in this JDK"));
        StringWriter out = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", CLASSES.toString());
        assertEquals(0, rc, out.toString());
        List<String[]> edges = new ArrayList<>();
        out.toString().lines().map(EDGE::matcher).filter(Matcher::find)
                .forEach(m -> edges.add(new String[] {m.group(1), m.group(2)}));
        assertTrue(edges.size() > 10, "jdeps found the packages' dependencies: " + out);
        return edges;
    }

    @Test
    void everyImportGoesDownALayer() throws IOException {
        Map<String, Integer> layers = layers();
        List<String> wrong = new ArrayList<>();
        for (String[] e : edges()) {
            Integer from = layers.get(e[0]);
            Integer to = layers.get(e[1]);
            if (from == null || to == null || to >= from) {
                wrong.add(e[0] + " (layer " + from + ") -> " + e[1] + " (layer " + to + ")");
            }
        }
        assertEquals(List.of(), wrong, "imports that do not go down a layer of docs/architecture.md");
    }

    @Test
    void everyPackageIsOnThePage() throws IOException {
        Set<String> packages = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(CLASSES.resolve("io/rsslab"))) {
            walk.filter(p -> p.toString().endsWith(".class"))
                    .forEach(p -> packages.add(CLASSES.relativize(p.getParent()).toString().replace('/', '.')));
        }
        assertEquals(packages, layers().keySet(), "the packages and the layers table of docs/architecture.md");
    }

    @Test
    void noQualifiedNameHidesAnImport() throws IOException {
        Pattern qualified = Pattern.compile("\\bio\\.rsslab\\.[a-z]+\\.[A-Z]");
        List<String> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(Path.of("src/main/java"))) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(p);
                for (int i = 0; i < lines.size(); i++) {
                    String l = lines.get(i).strip();
                    boolean code = !l.startsWith("import ") && !l.startsWith("package ") && !l.startsWith("*")
                            && !l.startsWith("/*") && !l.startsWith("//");
                    if (code && qualified.matcher(l).find()) {
                        found.add(p + ":" + (i + 1) + ": " + l);
                    }
                }
            }
        }
        assertEquals(List.of(), found, "a fully qualified io.rsslab name in code hides a dependency from imports");
    }
}
