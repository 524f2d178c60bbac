package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rsslab.machine.ExternalCommand;
import io.rsslab.nativelib.Platform;
import io.rsslab.plan.VariantCatalog;
import picocli.CommandLine;

/**
 * Issue 30, after `mvn package` (failsafe, integration-test phase): the launcher target/rsslab, the generated
 * completion and man pages, and the Debian package built from them by deploy/deb/build-deb, installed, run and
 * removed on this machine.
 */
class InstallIT {

    static final Path TARGET = Path.of(System.getProperty("rsslab.target", "target")).toAbsolutePath();
    static final String VERSION = System.getProperty("rsslab.version", "");
    static final Path ZSH_TAB = Path.of("src/test/resources/install/zsh-tab.zsh").toAbsolutePath();

    record Ran(int exit, String out, String err) {
    }

    /** Runs command with env added to (or, for a null value, removed from) this JVM's environment. */
    static Ran run(Map<String, String> env, String... command) throws IOException {
        ExternalCommand.Result r = ExternalCommand.run(List.of(command), env, Duration.ofSeconds(120), command[0]);
        return new Ran(r.exit(), r.out(), r.err());
    }

    static Ran run(String... command) throws IOException {
        return run(Map.of(), command);
    }

    /** What bash's programmable completion offers for words (the last being completed), from script. */
    static List<String> bashCompletes(Path script, String... words) throws Exception {
        String array = String.join(" ", Arrays.stream(words).map(w -> "'" + w + "'").toList());
        // The generated function as bash's completion calls it: COMP_WORDS, COMP_CWORD, COMP_LINE, COMP_POINT.
        // (Its compopt calls say on stderr that no completion is under way: they only affect how bash shows it.)
        Ran r = run("bash", "--norc", "-c", "source \"$0\" && complete -p rsslab && COMP_WORDS=(" + array + ")"
                + " && COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && COMP_LINE=\"${COMP_WORDS[*]}\""
                + " && COMP_POINT=${#COMP_LINE} && _complete_rsslab; printf '%s\\n' \"${COMPREPLY[@]}\"",
                script.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("complete -o default -F _complete_rsslab rsslab", lines.get(0));
        return lines.subList(1, lines.size()).stream().filter(s -> !s.isEmpty()).toList();
    }

    /** What an interactive zsh shows after "rsslab ins" and a Tab, with fpath and the bash script given. */
    static String zshShows(String fpath, String bashScript) throws Exception {
        return run("zsh", "-f", ZSH_TAB.toString(), fpath, bashScript, "rsslab ins",
                "rsslab inspect").out();
    }

    static String subcommandsOf(String prefix) {
        return String.join(" ", Main.commandLine().getSubcommands().keySet().stream()
                .filter(n -> n.startsWith(prefix)).toList());
    }

    /** A folder bin in dir holding the tools the launcher uses, and no java: for a PATH without one. */
    static Path toolsOnly(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("readlink", "dirname", "sed")) {
            Files.copy(Path.of(run("sh", "-c", "command -v " + tool).out().strip()), bin.resolve(tool),
                    StandardCopyOption.COPY_ATTRIBUTES);
        }
        return bin;
    }

    @Test
    void launcherRunsTheJarOnJavaHomeThenThePath(@TempDir Path dir) throws Exception {
        Path launcher = TARGET.resolve("rsslab");
        String home = System.getProperty("java.home");
        Ran viaHome = run(Map.of("JAVA_HOME", home), launcher.toString(), "--version");
        assertEquals(0, viaHome.exit(), viaHome.err());
        assertEquals("rsslab " + VERSION + "\n", viaHome.out());

        // A JAVA_HOME whose bin/java links to a JDK's: that JDK's release file tells its version.
        Path linked = Files.createDirectories(dir.resolve("linked/bin"));
        Files.createSymbolicLink(linked.resolve("java"), Path.of(home, "bin/java"));
        Ran viaLink = run(Map.of("JAVA_HOME", dir.resolve("linked").toString(),
                "PATH", toolsOnly(dir).toString()),
                launcher.toString(), "--version");
        assertEquals("rsslab " + VERSION + "\n", viaLink.out(), viaLink.err());

        // A JAVA_HOME with an older Java is passed over for the PATH's; through a symlink, as /usr/bin's would be.
        Path old = Files.createDirectories(dir.resolve("jdk11/bin"));
        Files.writeString(dir.resolve("jdk11/release"), "JAVA_VERSION=\"11.0.2\"\n");
        Files.writeString(old.resolve("java"), "#!/bin/sh\necho 'this Java 11 was run' >&2\nexit 9\n");
        old.resolve("java").toFile().setExecutable(true);
        Path link = Files.createSymbolicLink(dir.resolve("rsslab"), launcher);
        Ran viaPath = run(Map.of("JAVA_HOME", dir.resolve("jdk11").toString(),
                "PATH", Path.of(home, "bin") + ":/usr/bin:/bin"), link.toString(), "--version");
        assertEquals(0, viaPath.exit(), viaPath.err());
        assertEquals("rsslab " + VERSION + "\n", viaPath.out());
    }

    /** Where the launcher in dir loaded rsslab's main class from, by the JVM's class loading log. */
    static String mainClassSource(Path dir, Map<String, String> env) throws IOException {
        Path log = dir.resolve("classes.log");
        Map<String, String> all = new HashMap<>(env);
        all.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + log);
        Ran r = run(all, dir.resolve("rsslab").toString(), "--version");
        assertEquals("rsslab " + VERSION + "\n", r.out(), r.err());
        return Files.readAllLines(log).stream().filter(l -> l.contains(" io.rsslab.cli.Main source: ")).findFirst()
                .map(l -> l.substring(l.indexOf("source: ") + 8)).orElseThrow();
    }

    /** Where the launcher in dir loaded a class from when running args (a class+load log), after a clean exit. */
    static String classSource(Path dir, Map<String, String> env, String className, String... args)
            throws IOException {
        Path log = dir.resolve("classes-" + className + ".log");
        Map<String, String> all = new HashMap<>(env);
        all.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + log);
        String[] command = new String[args.length + 1];
        command[0] = dir.resolve("rsslab").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Ran r = run(all, command);
        assertEquals(0, r.exit(), r.err());
        String marker = " " + className + " source: ";
        return Files.readAllLines(log).stream().filter(l -> l.contains(marker)).findFirst()
                .map(l -> l.substring(l.indexOf(marker) + marker.length())).orElseThrow();
    }

    /** A process running make-cds's training target (`sleep 600`), which it must kill before it exits. */
    static boolean trainingTargetRunning() throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).anyMatch(p -> {
                try {
                    return Arrays.equals(Files.readAllBytes(p.resolve("cmdline")), "sleep\u0000600\u0000".getBytes());
                } catch (IOException gone) {
                    return false;
                }
            });
        }
    }

    @Test
    void launcherUsesTheClassDataArchiveOnlyWhenItFitsTheJarAndTheJava(@TempDir Path dir) throws Exception {
        // A copy of the launcher and the jar, and an archive made for the copy (an archive names its jar's path).
        Files.copy(TARGET.resolve("rsslab"), dir.resolve("rsslab"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(TARGET.resolve("rsslab.jar"), dir.resolve("rsslab.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        String java = Path.of(System.getProperty("java.home"), "bin/java").toString();
        Ran made = run(Path.of("deploy/make-cds").toAbsolutePath().toString(), java,
                dir.resolve("rsslab.jar").toString());
        assertEquals(0, made.exit(), made.err());
        assertTrue(Files.size(dir.resolve("rsslab.jsa")) > 0);
        Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"));
        assertEquals("shared objects file", mainClassSource(dir, env));
        // inspect's own classes too (make-cds trains on an inspect of a sleep it starts), and the sleep is gone.
        assertFalse(trainingTargetRunning());
        Process target = new ProcessBuilder("sleep", "60").start();
        try {
            assertEquals("shared objects file", classSource(dir, env, "io.rsslab.inspect.glibc.ChunkWalker", "inspect",
                    Long.toString(target.pid()), "--format", "table"));
        } finally {
            target.destroy();
        }

        // Made by another java: not passed (the JVM would reject it and share nothing at all).
        Path jvm = dir.resolve("rsslab.jsa.jvm");
        String madeBy = Files.readString(jvm);
        Files.writeString(jvm, "/elsewhere/bin/java\n");
        assertTrue(mainClassSource(dir, env).startsWith("file:"));
        Files.writeString(jvm, madeBy);
        assertEquals("shared objects file", mainClassSource(dir, env));

        // A jar newer than its archive (rebuilt without it): the jar alone, the same output.
        Files.setLastModifiedTime(dir.resolve("rsslab.jar"),
                FileTime.fromMillis(Files.getLastModifiedTime(dir.resolve("rsslab.jsa")).toMillis() + 10_000));
        assertTrue(mainClassSource(dir, env).startsWith("file:"));

        // No archive at all: the same.
        Files.delete(dir.resolve("rsslab.jsa"));
        assertTrue(mainClassSource(dir, env).startsWith("file:"));
    }

    @Test
    void launcherSaysInOneLineThatThereIsNoJava(@TempDir Path dir) throws Exception {
        // A PATH with the launcher's tools and an old java only.
        Path bin = toolsOnly(dir);
        Files.writeString(dir.resolve("release"), "JAVA_VERSION=\"1.8.0_412\"\n");
        Files.writeString(bin.resolve("java"), "#!/bin/sh\nexit 9\n");
        bin.resolve("java").toFile().setExecutable(true);
        Ran r = run(Map.of("JAVA_HOME", "/nonexistent", "PATH", bin.toString()), TARGET.resolve("rsslab").toString(),
                "inspect", "1");
        assertEquals(2, r.exit());
        assertEquals("", r.out());
        assertEquals("rsslab: needs Java 17 or later (JAVA_HOME, then the PATH); found /nonexistent/bin/java: not "
                + "there, " + bin.resolve("java") + ": Java 8: install one (Debian: apt-get install "
                + "openjdk-17-jre-headless) or set JAVA_HOME\n", r.err());

        Files.delete(bin.resolve("java"));
        Map<String, String> noJava = new HashMap<>();
        noJava.put("PATH", bin.toString());
        noJava.put("JAVA_HOME", null);
        Ran none = run(noJava, TARGET.resolve("rsslab").toString(), "--version");
        assertEquals(2, none.exit());
        assertEquals("rsslab: needs Java 17 or later (JAVA_HOME, then the PATH); none found: install one (Debian: "
                + "apt-get install openjdk-17-jre-headless) or set JAVA_HOME\n", none.err());
    }

    @Test
    void bashCompletesSubcommandsOptionsAndTheCatalogsNames() throws Exception {
        Path script = TARGET.resolve("completion/rsslab.bash");
        assertEquals(List.of("inspect"), bashCompletes(script, "rsslab", "ins"));
        assertEquals(subcommandsOf("r"), String.join(" ", bashCompletes(script, "rsslab", "r")));
        // Every command, trim, tune, watch and trimmer included.
        assertEquals(subcommandsOf(""), String.join(" ", bashCompletes(script, "rsslab", "")));
        assertEquals(List.of("--jcmd-trim"), bashCompletes(script, "rsslab", "inspect", "--jc"));
        List<String> variants = VariantCatalog.load().names();
        assertEquals(new TreeSet<>(variants),
                new TreeSet<>(bashCompletes(script, "rsslab", "matrix", "--variant", "")));
        assertEquals(variants.stream().filter(v -> v.startsWith("tr")).toList(),
                bashCompletes(script, "rsslab", "run", "--variant", "tr"));
        List<String> scenarios = new ArrayList<>();
        new CatalogNames.Scenarios().forEach(scenarios::add);
        assertTrue(scenarios.containsAll(List.of("article-1", "article-4", "churn", "worker-threads")),
                scenarios::toString);
        assertEquals(scenarios.stream().filter(n -> n.startsWith("art")).toList(),
                bashCompletes(script, "rsslab", "run", "art"));
        assertEquals(scenarios, bashCompletes(script, "rsslab", "sweep", "--scenario", ""));
    }

    @Test
    void zshCompletesThroughItsAutoloadedWrapper() throws Exception {
        assumeTrue(run("sh", "-c", "command -v zsh").exit() == 0, "zsh is not installed (.ci/run installs it)");
        String shown = zshShows(TARGET.resolve("completion").toString(),
                TARGET.resolve("completion/rsslab.bash").toString());
        assertTrue(shown.contains("rsslab inspect"), () -> "zsh showed: " + shown);
    }

    @Test
    void aManPagePerCommandFromTheSameDefinitions() throws Exception {
        CommandLine cl = Main.commandLine();
        List<String> expected = new ArrayList<>(List.of("rsslab.1"));
        cl.getSubcommands().keySet().forEach(n -> expected.add("rsslab-" + n + ".1"));
        try (Stream<Path> pages = Files.list(TARGET.resolve("man"))) {
            assertEquals(new TreeSet<>(expected), new TreeSet<>(pages.map(p -> p.getFileName().toString()).toList()));
        }
        // rsslab(1) names every command, each on its own line of COMMANDS with its description.
        String top = run(Map.of("MANWIDTH", "200"), "man", "-l", "-P", "cat", TARGET.resolve("man/rsslab.1").toString())
                .out();
        for (Map.Entry<String, CommandLine> c : cl.getSubcommands().entrySet()) {
            assertTrue(top.lines().anyMatch(l -> l.strip().equals(c.getKey())), () -> "rsslab(1) lacks " + c.getKey());
        }
        for (Map.Entry<String, CommandLine> c : cl.getSubcommands().entrySet()) {
            Ran page = run(Map.of("MANWIDTH", "200"), "man", "-l", "-P", "cat",
                    TARGET.resolve("man/rsslab-" + c.getKey() + ".1").toString());
            assertEquals(0, page.exit(), page.err());
            assertTrue(page.out().contains("rsslab-" + c.getKey() + " - ") && page.out().contains("rsslab "
                    + c.getKey() + " "), page.out());
            for (String option : c.getValue().getCommandSpec().optionsMap().keySet()) {
                if (option.startsWith("--") && !c.getValue().getCommandSpec().findOption(option).hidden()) {
                    assertTrue(page.out().contains(option), () -> c.getKey() + "'s page lacks " + option);
                }
            }
        }
    }

    @Test
    void debianPackageInstallsRunsAndRemovesLeavingNothing(@TempDir Path dir) throws Exception {
        assumeTrue(run("sh", "-c", "command -v dpkg && command -v dpkg-deb").exit() == 0, "dpkg is not here");
        assumeTrue(Platform.effectiveUid() == 0, "dpkg -i needs root");
        Ran before = run("dpkg-query", "-W", "-f=${db:Status-Status}", "rsslab");
        assumeTrue(before.exit() != 0 || before.out().equals("not-installed"),
                "a package rsslab is installed here already (" + before.out() + "): this test would replace it");

        // Every unit under deploy/systemd/ when there is one, else a placeholder made here.
        Path units = Files.createDirectories(dir.resolve("systemd"));
        Path deployed = Path.of("deploy/systemd").toAbsolutePath();
        if (Files.isDirectory(deployed)) {
            try (Stream<Path> s = Files.list(deployed)) {
                for (Path u : s.toList()) {
                    Files.copy(u, units.resolve(u.getFileName()));
                }
            }
        }
        if (!Files.exists(units.resolve("rsslab-watch.service"))) {
            Files.writeString(units.resolve("rsslab-watch.service"), "[Unit]\nDescription=InstallIT placeholder\n");
        }
        Ran built = run(Path.of("deploy/deb/build-deb").toAbsolutePath().toString(), TARGET.toString(), VERSION,
                dir.toString(), units.toString());
        assertEquals(0, built.exit(), built.err());
        Path deb = Path.of(built.out().strip());
        Ran info = run("dpkg-deb", "-f", deb.toString(), "Package", "Depends", "Recommends");
        // bash-completion recommended: without it a new bash never loads the package's completion.
        assertEquals("Package: rsslab\nDepends: default-jre-headless (>= 2:1.17) | java17-runtime-headless, "
                + "libc6 (>= 2.34), libzstd1\nRecommends: bash-completion\n", info.out());
        // The files it holds, and the folders it would add (those not here before install).
        List<Path> files = new ArrayList<>();
        List<Path> newFolders = new ArrayList<>();
        for (String line : run("dpkg-deb", "-c", deb.toString()).out().lines().toList()) {
            Path p = Path.of(line.substring(line.indexOf("./") + 1));
            if (line.startsWith("d")) {
                if (!Files.exists(p)) {
                    newFolders.add(p);
                }
            } else {
                files.add(p);
            }
        }
        assertTrue(files.contains(Path.of("/lib/systemd/system/rsslab-watch.service")), files::toString);
        for (Path f : files) {
            assertFalse(Files.exists(f), () -> f + " is here before the package is installed");
        }

        try {
            Ran installed = run("dpkg", "-i", deb.toString());
            assertEquals(0, installed.exit(), installed.out() + installed.err());
            Ran version = run(Map.of("JAVA_HOME", System.getProperty("java.home")), "rsslab", "--version");
            assertEquals("rsslab " + VERSION + "\n", version.out(), version.err());
            assertTrue(Files.size(Path.of("/usr/share/rsslab/rsslab.jsa")) > 0, "postinst made no archive");
            assertEquals("/usr/share/man/man1/rsslab.1.gz\n", run("man", "-w", "rsslab").out());
            Ran page = run(Map.of("MANWIDTH", "200"), "man", "-P", "cat", "rsslab-inspect");
            assertTrue(page.exit() == 0 && page.out().contains("rsslab inspect "), page.out() + page.err());
            assertEquals(List.of("inspect"),
                    bashCompletes(Path.of("/usr/share/bash-completion/completions/rsslab"), "rsslab", "ins"));
            // A new interactive login shell (/etc/profile, bash-completion's profile.d script), nothing sourced by
            // hand: bash-completion finds the function on the first Tab of rsslab.
            assertTrue(Files.exists(Path.of("/usr/share/bash-completion/bash_completion")),
                    "bash-completion is not installed (the package recommends it; .ci/run installs it)");
            Ran login = run(Map.of("HOME", dir.toString()), "bash", "-l", "-i", "-c",
                    "COMP_WORDS=(rsslab insp) COMP_CWORD=1 COMP_LINE='rsslab insp' COMP_POINT=11;"
                    + " __load_completion rsslab && f=$(complete -p rsslab | sed -n 's/.* -F \\([^ ]*\\) .*/\\1/p')"
                    + " && $f rsslab insp rsslab; printf '<%s>\\n' \"${COMPREPLY[@]}\"");
            assertEquals("<inspect>\n", login.out(), login.err());
            // inspect PID on a live python3 through the installed launcher (the "Done when").
            Process python = new ProcessBuilder("python3", "-c", "import sys; x = [bytearray(1000) for _ in "
                    + "range(20000)]; del x; sys.stdin.read()").redirectErrorStream(true).start();
            try {
                Thread.sleep(1000);
                assertTrue(python.isAlive(), "python3 ended before inspect");
                Ran inspected = run(Map.of("JAVA_HOME", System.getProperty("java.home")), "rsslab", "inspect",
                        Long.toString(python.pid()), "--format", "json");
                assertEquals(0, inspected.exit(), inspected.err());
                assertTrue(inspected.out().contains("\"pid\": " + python.pid() + ",")
                        && inspected.out().contains("\"allocator\": \"glibc\""), inspected.out());
                assertTrue(python.isAlive(), "python3 did not survive inspect");
            } finally {
                python.destroy();
                python.waitFor();
            }
            if (run("sh", "-c", "command -v zsh").exit() == 0) {
                // The wrapper's default path: RSSLAB_BASH_COMPLETION empty.
                String shown = zshShows("/usr/share/zsh/vendor-completions", "");
                assertTrue(shown.contains("rsslab inspect"), () -> "zsh showed: " + shown);
            }
            // Installed, not enabled: no maintainer script links the unit anywhere.
            Ran links = run("find", "/etc/systemd", "-name", "rsslab-watch.service");
            assertEquals("", links.out());

            Ran removed = run("dpkg", "-r", "rsslab");
            assertEquals(0, removed.exit(), removed.out() + removed.err());
            for (Path f : files) {
                assertFalse(Files.exists(f, LinkOption.NOFOLLOW_LINKS), () -> f + " is left");
            }
            for (Path made : List.of(Path.of("/usr/share/rsslab/rsslab.jsa"), Path.of("/usr/share/rsslab/rsslab.jsa.jvm"))) {
                assertFalse(Files.exists(made, LinkOption.NOFOLLOW_LINKS), () -> made + " (postinst's) is left");
            }
            for (Path d : newFolders) {
                assertFalse(Files.exists(d), () -> "folder " + d + " is left");
            }
            Ran status = run("dpkg-query", "-W", "-f=${db:Status-Status}", "rsslab");
            assertTrue(status.exit() != 0 || status.out().equals("not-installed"), "dpkg: " + status.out());
        } finally {
            run("dpkg", "--purge", "rsslab");
        }
    }
}
