package io.rsslab.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the rsslab command line in-process (the children it starts are real). */
final class CliRunner {

    record Outcome(int exitCode, String out, String err) {
        String[] errLines() {
            return err.isEmpty() ? new String[0] : err.split("\n");
        }
    }

    private CliRunner() {
    }

    static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(code, out.toString(), err.toString());
    }
}
