package io.rsslab.inspect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.rsslab.nativelib.NativeLoader;

/**
 * --stop: the process stands still (SIGSTOP) while it is read, and is always
 * let go (SIGCONT). The stop and the resume are done by a helper that
 * outlives the JVM (rsslab-probe --freeze PID, src/main/c/freeze.c): it
 * resumes the process when told, or when this JVM is gone (the end of its
 * input: the kernel closes the pipe on any death, SIGKILL included), and
 * continues a job-control parent (su, runuser) that stopped itself with it.
 * A process that was stopped already is left stopped.
 */
final class Freezer {

    private final Target target;
    private final Process helper;
    private final OutputStream word;
    private final BufferedReader said;
    private final long t0;
    private final Thread hook;
    private boolean released;
    private long micros;

    private Freezer(Target target, Process helper) {
        this.target = target;
        this.helper = helper;
        this.word = helper.getOutputStream();
        this.said = new BufferedReader(new InputStreamReader(helper.getInputStream(), StandardCharsets.US_ASCII));
        this.t0 = System.nanoTime();
        this.hook = new Thread(this::release, "rsslab-inspect-cont");
    }

    static Freezer stop(Target t) throws InspectException {
        Process helper;
        try {
            helper = new ProcessBuilder(List.of(NativeLoader.probe().toString(), "--freeze", Long.toString(t.pid())))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException | RuntimeException e) {
            throw new InspectException("--stop: the helper that stops and resumes process " + t.pid()
                    + " did not start: " + e.getMessage());
        }
        Freezer f = new Freezer(t, helper);
        Runtime.getRuntime().addShutdownHook(f.hook);
        String line;
        try {
            line = f.said.readLine();
        } catch (IOException e) {
            line = null;
        }
        if (line == null || !(line.equals("stopped") || line.equals("already-stopped"))) {
            f.release();
            throw new InspectException("process " + t.pid() + " could not be stopped: "
                    + (line == null ? "the helper ended" : line.replaceFirst("^error: ", "")));
        }
        return f;
    }

    /** Lets the process go on (once; the helper sends SIGCONT); how long it stood still, in microseconds. */
    synchronized long release() {
        if (!released) {
            released = true;
            micros = (System.nanoTime() - t0) / 1000;
            try {
                word.write('c');
                word.close();
                // "continued" (or the end of its output): the process runs again before the ledger is printed.
                while (true) {
                    String l = said.readLine();
                    if (l == null || l.equals("continued")) {
                        break;
                    }
                }
                helper.waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                System.err.println("rsslab: the helper did not confirm that process " + target.pid()
                        + " goes on: " + e.getMessage() + " (if it shows state T: kill -CONT " + target.pid() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // Shutting down already: this is the hook running.
            }
        }
        return micros;
    }
}
