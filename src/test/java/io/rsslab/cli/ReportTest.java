package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a results folder: written by matrix at its end, by report for
 * one folder or several, with a failed run shown as such; checked in a real
 * browser (headless Chromium, Debian's package): the page loads with no
 * console message, and every chart is drawn.
 */
class ReportTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    static Path dir;
    static Path folder;

    /**
     * A matrix whose runs all succeed: article-4, two variants, native and thread hosts (the failed run is
     * aFailedRunIsShownAsSuchAndSeveralFoldersSideBySide's, a jvm host that cannot start).
     */
    @BeforeAll
    static void matrix() {
        folder = dir.resolve("m");
        CliRunner.Outcome o = CliRunner.run("matrix", "--scenario", "article-4", "--variant", "baseline,trim",
                "--host", "native,thread", "--quiet", "--out", folder.toString());
        assertEquals(0, o.exitCode(), o.err());
        assertTrue(o.out().contains("report: " + folder.resolve("report").resolve("report.html")), o.out());
    }

    static String html(Path report) throws Exception {
        return Files.readString(report.resolve("report.html"), StandardCharsets.UTF_8);
    }

    @Test
    void matrixWritesTheReportWithItsChartsInline() throws Exception {
        Path report = folder.resolve("report");
        String page = html(report);
        int svgs = count(page, "<svg");
        assertEquals(2 * 3, svgs, "rounds, trade-off and CPU for each host");
        try (var charts = Files.list(report.resolve("charts"))) {
            List<Path> files = charts.toList();
            assertEquals(2 * svgs, files.size(), "each chart as PNG and SVG: " + files);
            for (Path png : files.stream().filter(p -> p.toString().endsWith(".png")).toList()) {
                assertTrue(ImageIO.read(png.toFile()).getWidth() >= 960, png.toString());
            }
        }
        assertTrue(page.contains("rsslab matrix --scenario article-4"), "the command that made the folder");
        assertTrue(page.contains("glibc "), "the machine");
        Matcher refs = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(page);
        while (refs.find()) {
            assertTrue(refs.group(1).startsWith("charts/") || refs.group(1).startsWith("#"),
                    "nothing outside the report is referenced: " + refs.group(1));
            if (refs.group(1).startsWith("charts/")) {
                assertTrue(Files.exists(report.resolve(refs.group(1))), refs.group(1));
            }
        }
        assertFalse(page.contains("<script"), "no script");
        assertTrue(page.contains("dotted: the article"), "article-4 on the native host has them");
        assertFalse(page.contains("A sweep:"), "no sweep, no word of one");
    }

    @Test
    void aFailedRunIsShownAsSuchAndSeveralFoldersSideBySide() throws Exception {
        Path broken = dir.resolve("broken");
        CliRunner.Outcome o = CliRunner.run("matrix", "--scenario", "article-4", "--host", "native,jvm", "--env",
                "JAVA_TOOL_OPTIONS=-XX:+NoSuchRsslabFlag", "--label", "broken-jvm", "--quiet", "--out",
                broken.toString());
        assertEquals(ExitCodes.RUN_FAILED, o.exitCode(), o.err());
        assertTrue(html(broken.resolve("report")).contains("<strong>FAILED</strong>"), "the failed jvm run");
        Path both = dir.resolve("both");
        CliRunner.Outcome r = CliRunner.run("report", folder.toString(), broken.toString(), "--out", both.toString());
        assertEquals(0, r.exitCode(), r.err());
        String page = html(both);
        assertTrue(page.contains("Machine by machine"), "the folders side by side");
        assertTrue(Files.exists(both.resolve("charts/machines-article-4-native.svg")));
    }

    @Test
    void whatIsNotAResultsFolderIsOneLineAndExitCode2() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliRunner.Outcome o = CliRunner.run("report", empty.toString());
        assertEquals(ExitCodes.USAGE, o.exitCode(), o.err());
        assertEquals(1, o.errLines().length, o.err());
        assertTrue(o.err().contains("is not a results folder (no runs.csv)"), o.err());
        Path corrupt = dir.resolve("corrupt");
        Files.createDirectories(corrupt);
        for (String f : List.of("runs.csv", "rounds.csv", "environment.csv")) {
            Files.copy(folder.resolve(f), corrupt.resolve(f));
        }
        Files.writeString(corrupt.resolve("runs.csv"), Files.readString(folder.resolve("runs.csv")).substring(0, 300));
        CliRunner.Outcome c = CliRunner.run("report", corrupt.toString());
        assertEquals(ExitCodes.USAGE, c.exitCode(), c.err());
        assertEquals(1, c.errLines().length, c.err());
        assertTrue(c.err().contains("runs.csv"), c.err());
        assertFalse(Files.exists(corrupt.resolve("report")), "no half report left");
        CliRunner.Outcome again = CliRunner.run("report", folder.toString());
        assertEquals(ExitCodes.USAGE, again.exitCode(), again.err());
        assertTrue(again.err().contains("already exists"), again.err());
    }

    /** Headless Chromium as this machine runs it (flags from the workplace's notes), into a fresh profile. */
    static List<String> chromium(Path profile, String... more) {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile, "--enable-logging=stderr",
                "--v=0"));
        cmd.addAll(List.of(more));
        return cmd;
    }

    static String runChromium(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium finished");
        return out;
    }

    @Test
    void aSweepIsOneChartAndOneTableNotASectionPerPoint() throws Exception {
        Path sweep = dir.resolve("sweep");
        CliRunner.Outcome o = CliRunner.run("sweep", "--param", "size=64K..512K:x2", "--param", "allocs=1",
                "--param", "rounds=2", "--host", "native,thread", "--quiet", "--out", sweep.toString());
        assertEquals(0, o.exitCode(), o.err());
        String page = html(sweep.resolve("report"));
        assertEquals(1, count(page, "<svg"), "one chart: kept against size, a line per host");
        assertTrue(page.contains("churn: a sweep of size (4 points)"), page);
        assertTrue(page.contains("A sweep: what was kept against the swept parameter"), "the intro reads the sweep");
        assertFalse(page.contains("dotted") || page.contains("Solid lines"), "no rounds chart, no legend of one");
        assertTrue(page.contains("size=512K"), "the table, sizes as people write them");
        assertFalse(page.contains("\\n"), "lines of the table are lines, not escapes");
        try (var charts = Files.list(sweep.resolve("report").resolve("charts"))) {
            assertEquals(2, charts.count(), "PNG and SVG of the one chart");
        }
        if (Files.isExecutable(CHROMIUM)) {
            Path shot = dir.resolve("sweep.png");
            String log = runChromium(chromium(dir.resolve("profile-sweep"), "--window-size=1100,1400",
                    "--screenshot=" + shot, sweep.resolve("report").resolve("report.html").toUri().toString()));
            if (Files.exists(shot)) {
                assertFalse(log.contains("CONSOLE"), "no console message: " + log);
                assertTrue(inked(ImageIO.read(shot.toFile())) > 0.02, "the page is drawn");
            }
        }
    }

    @Test
    void theReportLoadsInABrowserAndEveryChartIsDrawn() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "needs Debian's chromium (.ci/run installs it)");
        Path report = folder.resolve("report");
        Path shot = dir.resolve("page.png");
        String log = runChromium(chromium(dir.resolve("profile"), "--window-size=1100,3000",
                "--screenshot=" + shot, report.resolve("report.html").toUri().toString()));
        assumeTrue(Files.exists(shot), () -> "chromium could not start here: " + log);
        assertFalse(log.contains("CONSOLE"), "no console message: " + log);
        assertTrue(inked(ImageIO.read(shot.toFile())) > 0.02, "the page is drawn");
        // Every chart in one sheet, each in a cell of its own, drawn by the browser from its SVG file.
        List<Path> svgs;
        try (var charts = Files.list(report.resolve("charts"))) {
            svgs = charts.filter(p -> p.toString().endsWith(".svg")).sorted().toList();
        }
        StringBuilder sheet = new StringBuilder("<!DOCTYPE html><html><body style=\"margin:0\">");
        for (Path svg : svgs) {
            sheet.append("<img src=\"").append(svg.toUri()).append("\" style=\"display:block;width:960px;"
                    + "height:720px;object-fit:contain\">");
        }
        Path sheetFile = Files.writeString(dir.resolve("sheet.html"), sheet.append("</body></html>"));
        Path sheetShot = dir.resolve("sheet.png");
        String l = runChromium(chromium(dir.resolve("profile-sheet"), "--window-size=960," + 720 * svgs.size(),
                "--screenshot=" + sheetShot, sheetFile.toUri().toString()));
        assertFalse(l.contains("CONSOLE"), l);
        BufferedImage all = ImageIO.read(sheetShot.toFile());
        for (int i = 0; i < svgs.size(); i++) {
            double ink = inked(all.getSubimage(0, i * 720, 960, 720));
            assertTrue(ink > 0.01, svgs.get(i).getFileName() + " is drawn: " + ink + " of its pixels are not white");
        }
    }

    /** The share of pixels that are not (near) white. */
    static double inked(BufferedImage img) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                if (((rgb >> 16) & 0xff) < 230 || ((rgb >> 8) & 0xff) < 230 || (rgb & 0xff) < 230) {
                    n++;
                }
            }
        }
        return (double) n / ((long) img.getWidth() * img.getHeight());
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
