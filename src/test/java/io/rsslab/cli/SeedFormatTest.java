package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.rsslab.reference.ReferenceFigures;
import io.rsslab.reference.ReferenceRow;

/**
 * --format seed is the article's program: its text line for line, and, run
 * beside the article's own program compiled here with gcc -Wall -O2, the
 * same RSS figures within noise.
 */
class SeedFormatTest {

    private static final Pattern RSS = Pattern.compile("\tRSS: (\\d+) KB");
    /**
     * Two builds of the same loop differ by their binaries' mapped pages and by run-to-run noise: -184 to +260 kB
     * over 15 pairs here. The probe links only libc, as the article's program does (CTest probe-links-libc-only):
     * libm's pages alone put it 400-520 kB above.
     */
    private static final long NOISE_KB = 512;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"baseline", "trim", "article-pair"})
    void seedOutputIsTheArticleProgramsOutput(String variant) throws Exception {
        List<String> ours = runSeed(variant);
        List<String> theirs = runArticleProgram(variant);

        // The article's layout: the same non-RSS lines as the article printed.
        List<String> published = new ArrayList<>();
        for (ReferenceRow r : ReferenceFigures.load().run("article-4", variant)) {
            published.add(r.round() + "\t+" + r.allocatedKb() + " KB");
            published.add("\t-" + r.allocatedKb() + " KB");
        }
        assertEquals(published, nonRss(ours));

        // Line for line against the article's program on this machine.
        assertEquals(theirs.size(), ours.size(), "line count\nours:\n" + ours + "\ntheirs:\n" + theirs);
        for (int i = 0; i < ours.size(); i++) {
            Matcher o = RSS.matcher(ours.get(i));
            Matcher t = RSS.matcher(theirs.get(i));
            if (t.matches()) {
                assertTrue(o.matches(), "line " + (i + 1) + ": " + ours.get(i));
                long diff = Long.parseLong(o.group(1)) - Long.parseLong(t.group(1));
                assertTrue(Math.abs(diff) <= NOISE_KB, "line " + (i + 1) + " differs by " + diff + " KB: ours "
                        + ours.get(i).trim() + ", article's program " + theirs.get(i).trim());
            } else {
                assertEquals(theirs.get(i), ours.get(i), "line " + (i + 1));
            }
        }
    }

    private List<String> runSeed(String variant) throws IOException {
        Path out = dir.resolve("seed-" + variant + ".txt");
        List<String> args = new ArrayList<>(List.of("run", "article-4", "--format", "seed", "--out", out.toString()));
        if (variant.equals("trim")) {
            args.add("--trim");
        }
        if (variant.equals("article-pair")) {
            args.addAll(List.of("--env", "MALLOC_TRIM_THRESHOLD_=131072", "--env", "MALLOC_MMAP_THRESHOLD_=131072"));
        }
        CliRunner.Outcome o = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, o.exitCode(), o.err());
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\n") && !text.contains("\r"), "plain \\n line ends, as the article's program");
        return List.of(text.split("\n"));
    }

    private List<String> runArticleProgram(String variant) throws Exception {
        Path src = Path.of("data/reference/article-4.c");
        Path exe = dir.resolve("rss");
        if (!Files.exists(exe)) {
            exec(List.of("gcc", "-Wall", "-O2", src.toAbsolutePath().toString(), "-o", exe.toString()), Map.of());
        }
        List<String> cmd = new ArrayList<>(List.of(exe.toString()));
        if (variant.equals("trim")) {
            cmd.add("1");
        }
        Map<String, String> env = variant.equals("article-pair")
                ? Map.of("MALLOC_TRIM_THRESHOLD_", "131072", "MALLOC_MMAP_THRESHOLD_", "131072") : Map.of();
        return List.of(exec(cmd, env).split("\n"));
    }

    private static String exec(List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), cmd + ": " + text);
        return text;
    }

    private static List<String> nonRss(List<String> lines) {
        return lines.stream().filter(l -> !RSS.matcher(l).matches()).toList();
    }
}
