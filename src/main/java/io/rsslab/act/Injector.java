package io.rsslab.act;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.rsslab.fork.ChildExitCode;
import io.rsslab.inspect.glibc.GlibcHeap;
import io.rsslab.nativelib.NativeLoader;

/**
 * A function of glibc's malloc called inside a running process by
 * `rsslab-probe --call` (src/main/c/inject.c, whose header says how it stays
 * safe): the C helper, never the JVM, stops and restores the target, so that
 * it finishes even when this JVM dies (it ignores SIGINT/TERM/HUP/PIPE and
 * runs in its own session).
 */
public final class Injector {

    /** What the helper said: threads stopped, attempts, those that found a lock held, the result, the pause. */
    public record Call(int threads, int attempts, int busy, long result, long pauseMicros, long thread,
            boolean releasedOthers) {
    }

    private Injector() {
    }

    /** The injector's rules that need no stop (--check): a Refused, or nothing; the process is not touched. */
    public static void check(long pid, boolean force, List<String> function) {
        List<String> args = new ArrayList<>(List.of("--check"));
        if (force) {
            args.add("--force");
        }
        args.addAll(function);
        Map<String, String> said = run(pid, args);
        if (!said.containsKey("ok")) {
            throw new ActError("the injector's check said nothing");
        }
    }

    /**
     * Calls function(args) in process pid, after checking that no arena's
     * mutex is held (the ring from mainArena; 0: unchecked), retrying up to wait.
     */
    public static Call call(long pid, long mainArena, Duration wait, boolean force, List<String> function) {
        List<String> args = new ArrayList<>();
        if (mainArena != 0) {
            args.addAll(List.of("--ring", "0x" + Long.toHexString(mainArena) + ":" + GlibcHeap.NEXT_OFFSET));
        }
        args.addAll(List.of("--wait", Long.toString(wait.toMillis())));
        if (force) {
            args.add("--force");
        }
        args.addAll(function);
        Map<String, String> said = run(pid, args);
        if (!said.containsKey("result")) {
            throw new ActError("the injector gave no result: " + said);
        }
        try {
            return new Call(Integer.parseInt(said.get("threads")), Integer.parseInt(said.get("attempts")),
                    Integer.parseInt(said.get("busy")), Long.parseLong(said.get("result")),
                    Long.parseLong(said.get("pause-us")), Long.parseLong(said.get("thread")),
                    "1".equals(said.get("released-others")));
        } catch (NumberFormatException | NullPointerException e) {
            throw new ActError("the injector's output is not as expected: " + said);
        }
    }

    /** rsslab-probe --call PID ARGS: its "key value" lines; a refusal or a failure thrown. */
    private static Map<String, String> run(long pid, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(NativeLoader.probe().toString(), "--call", Long.toString(pid)));
        cmd.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new ActError("the injector (rsslab-probe --call) did not start: " + e.getMessage());
        }
        Map<String, String> said = new HashMap<>();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null;) {
                last = l;
                int sp = l.indexOf(' ');
                said.put(sp > 0 ? l.substring(0, sp) : l, sp > 0 ? l.substring(sp + 1) : "");
            }
            int exit = p.waitFor();
            if (exit == ChildExitCode.REFUSED.code() && last != null && last.startsWith("refused ")) {
                int colon = last.indexOf(": ");
                throw new Refused(last.substring(8, colon < 0 ? last.length() : colon),
                        colon < 0 ? "" : last.substring(colon + 2));
            }
            if (exit != 0) {
                throw new ActError("the injector failed (exit " + exit + "): "
                        + (last == null ? "no output" : last.replaceFirst("^error: ", "")));
            }
            return said;
        } catch (IOException e) {
            throw new ActError("the injector's output could not be read: " + e.getMessage());
        } catch (InterruptedException e) {
            // The helper goes on and restores the process by itself; only the answer is lost.
            Thread.currentThread().interrupt();
            throw new ActError("interrupted while the injector ran (it finishes and restores the process itself)");
        }
    }
}
