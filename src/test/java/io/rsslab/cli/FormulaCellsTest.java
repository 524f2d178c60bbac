package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rsslab.data.CsvRow;
import io.rsslab.results.ResultsFolder;
import io.rsslab.results.RunsColumn;
import io.rsslab.results.RunsCsv;
import io.rsslab.results.TryColumn;
import io.rsslab.results.TryFolder;

/**
 * No cell rsslab writes can be evaluated as a spreadsheet formula (issue 22,
 * item 1), and rsslab's own readers (--resume, report) read back exactly what
 * was meant: jvm arguments that begin with '-', a command named "=hello" with
 * arguments beginning with '+', '@' and '-'.
 */
class FormulaCellsTest {

    @TempDir
    Path dir;

    /** As a spreadsheet sees a cell: = + - @ (or tab, CR) first and not a plain number is a formula. */
    static boolean formula(String cell) {
        return !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0
                && !cell.matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    }

    static void assertNoFormula(Path folder) throws Exception {
        try (var files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".csv")).toList()) {
                for (CSVRecord r : Csv.read(f)) {
                    for (String cell : r) {
                        assertFalse(formula(cell), f + " holds a formula: " + cell);
                    }
                }
            }
        }
    }

    @Test
    void resumeReadsBackJvmArgumentsThatBeginWithADash() throws Exception {
        Path out = dir.resolve("m");
        CliRunner.Outcome o = CliRunner.run("matrix", "--scenario", "article-4", "--host", "jvm", "--variant",
                "baseline,jvm-trim-interval", "--jvm-arg=-Xmx96m", "--jvm-arg=-Drsslab.mark=@+=x", "--quiet", "--out",
                out.toString());
        assertEquals(0, o.exitCode(), o.err());
        assertNoFormula(out);
        assertTrue(Files.readString(out.resolve("plan.csv")).contains("'-XX:TrimNativeHeapInterval=100"));
        // The last run is dropped from runs.csv, as if interrupted; --resume must rebuild it from plan.csv.
        ResumeTest.rewrite(out.resolve("runs.csv"), rows -> rows.subList(0, rows.size() - 1));
        CliRunner.Outcome r = CliRunner.run("matrix", "--resume", out.toString(), "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        List<CsvRow<RunsColumn>> runs = RunsCsv.SCHEMA.read(out.resolve(ResultsFolder.RUNS), false).rows();
        assertEquals(2, runs.size());
        CsvRow<RunsColumn> resumed = runs.stream().filter(x -> x.get(RunsColumn.VARIANT).equals("jvm-trim-interval"))
                .findFirst().orElseThrow();
        assertTrue(runs.stream().allMatch(x -> x.get(RunsColumn.STATUS).equals("ok")), runs.toString());
        assertEquals("-XX:TrimNativeHeapInterval=100", resumed.get(RunsColumn.JVM_ARGS));
        assertEquals("ok", resumed.get(RunsColumn.STATUS), resumed.toString());
        assertNoFormula(out);
    }

    @Test
    void tryAndItsReportShowACommandNamedLikeAFormulaAsItWas() throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path hello = bin.resolve("=hello");
        Files.writeString(hello, "#!/bin/sh\nsleep 0.3\n");
        Files.setPosixFilePermissions(hello, PosixFilePermissions.fromString("rwx------"));
        Path out = dir.resolve("t");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "try", "--quiet", "--out",
                out.toString(), "--", "=hello", "+a", "@b", "-c").redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("log")));
        assertNoFormula(out);
        CsvRow<TryColumn> run = TryFolder.RUNS.read(out.resolve(ResultsFolder.RUNS), false).rows().get(0);
        assertEquals("=hello +a @b -c", run.get(TryColumn.COMMAND));
        assertEquals("'=hello +a @b -c", Csv.read(out.resolve(ResultsFolder.RUNS)).get(0).get("command"));
        Path report = dir.resolve("r");
        CliRunner.Outcome o = CliRunner.run("report", out.toString(), "--out", report.toString());
        assertEquals(0, o.exitCode(), o.err());
        String html = Files.readString(report.resolve("report.html"));
        assertTrue(html.contains("<code>=hello +a @b -c</code>"), "the report shows the command as it was");
        assertFalse(html.contains("'=hello"));
    }
}
