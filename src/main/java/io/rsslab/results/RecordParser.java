package io.rsslab.results;

import io.rsslab.plan.RunSpec;

/**
 * Validates the C core's records (see src/main/c/records.h) against the
 * run that was asked for: the header names the same scenario, host and
 * trim; the base reading comes once; the rounds are the scenario's, in
 * order; "done" counts them. Anything else is a broken child.
 */
public final class RecordParser implements ChildOutput {

    static final int VERSION = 1;

    private final RunSpec spec;
    private final RunListener listener;
    private String[] header;
    private RunStart start;
    private int nextRound;
    private int lineNo;
    private boolean done;
    private String mallocFailure;

    public RecordParser(RunSpec spec, RunListener listener) {
        this.spec = spec;
        this.listener = listener;
        this.nextRound = spec.scenario().firstRound();
    }

    @Override
    public void line(String line) throws BadOutputException {
        lineNo++;
        String[] f = line.split("\t", -1);
        if (done) {
            throw bad("output after 'done': " + abbreviate(line));
        }
        switch (f[0]) {
            case "rsslab" -> header(f, line);
            case "base" -> base(f, line);
            case "round" -> round(f, line);
            case "malloc-failed" -> mallocFailed(f, line);
            case "done" -> done(f, line);
            default -> throw bad("unexpected output: " + abbreviate(line));
        }
    }

    private void header(String[] f, String line) throws BadOutputException {
        expectFields(f, 7, line);
        if (header != null) {
            throw bad("a second header");
        }
        if (number(f[1], line) != VERSION) {
            throw bad("records version " + f[1] + ", this rsslab reads version " + VERSION);
        }
        String trim = spec.variant().trim() ? "1" : "0";
        if (!f[2].equals(spec.scenario().name()) || !f[3].equals(spec.host().label()) || !f[4].equals(trim)) {
            throw bad("the child ran " + f[2] + " on " + f[3] + " with trim=" + f[4] + ", not what was asked ("
                    + spec.scenario().name() + " on " + spec.host().label() + " with trim=" + trim + ")");
        }
        header = f;
    }

    private void base(String[] f, String line) throws BadOutputException {
        expectFields(f, 2, line);
        if (header == null || start != null) {
            throw bad("'base' out of order");
        }
        start = new RunStart(header[2], header[3], "1".equals(header[4]), header[5],
                number(header[6], line), number(f[1], line));
        listener.started(start);
    }

    private void round(String[] f, String line) throws BadOutputException {
        expectFields(f, 5, line);
        if (start == null) {
            throw bad("'round' before the base reading");
        }
        int k = (int) number(f[1], line);
        if (k != nextRound || k > spec.scenario().lastRound()) {
            throw bad("round " + k + " where round " + nextRound + " was due");
        }
        long bytes = number(f[2], line);
        listener.round(start, new Round(k, bytes / 1024, number(f[3], line), number(f[4], line)));
        nextRound++;
    }

    private void mallocFailed(String[] f, String line) throws BadOutputException {
        expectFields(f, 4, line);
        mallocFailure = "malloc returned NULL in round " + f[1] + " (allocation " + f[2] + ", " + f[3]
                + " bytes), as the article's program would report by returning 1";
    }

    private void done(String[] f, String line) throws BadOutputException {
        expectFields(f, 2, line);
        if (number(f[1], line) != spec.scenario().rounds() || nextRound != spec.scenario().lastRound() + 1) {
            throw bad("'done' after " + (nextRound - spec.scenario().firstRound()) + " of "
                    + spec.scenario().rounds() + " rounds");
        }
        done = true;
    }

    @Override
    public void end() throws BadOutputException {
        if (mallocFailure != null) {
            throw new BadOutputException(mallocFailure);
        }
        if (!done) {
            int got = nextRound - spec.scenario().firstRound();
            throw new BadOutputException(header == null ? "the child printed no records"
                    : "the output stopped after " + got + " of " + spec.scenario().rounds() + " rounds");
        }
    }

    public boolean complete() {
        return done;
    }

    private void expectFields(String[] f, int n, String line) throws BadOutputException {
        if (f.length != n) {
            throw bad("'" + f[0] + "' needs " + n + " fields: " + abbreviate(line));
        }
    }

    private long number(String s, String line) throws BadOutputException {
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw bad("negative number in " + abbreviate(line));
            }
            return v;
        } catch (NumberFormatException e) {
            throw bad("not a number '" + abbreviate(s) + "' in " + abbreviate(line));
        }
    }

    private BadOutputException bad(String what) {
        return new BadOutputException("child output line " + lineNo + ": " + what);
    }

    static String abbreviate(String s) {
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 80 ? printable : printable.substring(0, 77) + "...";
    }
}
