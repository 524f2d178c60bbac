package io.rsslab.fork;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of a run's child, produced here and parsed here (by
 * ForkedMain) with exactly the rules of src/main/c/child_args.c (the
 * probe's): the same options, each at most once, the same strict numbers,
 * the same messages, and ChildExitCode.USAGE when they are wrong.
 *
 * <pre>
 * SCENARIO [--trim] [--format records|seed] [--no-explain] [--thread]
 *          [--malloc-info PATH] [--pause-after ROUND] [--max-rounds N]
 * </pre>
 *
 * pauseAfter and maxRounds are null when not given.
 */
public record ChildArgs(String scenario, boolean trim, boolean seed, boolean explain, boolean thread,
        String mallocInfo, Integer pauseAfter, Integer maxRounds) {

    /** The arguments are not the child's: the message is child_args.c's for the same input. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    public ChildArgs {
        if (seed && pauseAfter != null && pauseAfter >= 0) {
            throw new IllegalArgumentException("--format seed is the article's program: it cannot pause");
        }
    }

    /** The child's command-line arguments, after its program (the probe, or java ... ForkedMain). */
    public List<String> toArgs() {
        List<String> a = new ArrayList<>(List.of(scenario));
        if (trim) {
            a.add("--trim");
        }
        a.add("--format");
        a.add(seed ? "seed" : "records");
        if (!explain) {
            a.add("--no-explain");
        }
        if (thread) {
            a.add("--thread");
        }
        if (mallocInfo != null) {
            a.add("--malloc-info");
            a.add(mallocInfo);
        }
        if (pauseAfter != null) {
            a.add("--pause-after");
            a.add(pauseAfter.toString());
        }
        if (maxRounds != null) {
            a.add("--max-rounds");
            a.add(maxRounds.toString());
        }
        return a;
    }

    /** Parses the child's arguments as child_args_parse() does. */
    public static ChildArgs parse(List<String> args) throws Refused {
        if (args.isEmpty() || args.get(0).startsWith("-")) {
            throw new Refused("no scenario given");
        }
        boolean trim = false;
        boolean seed = false;
        boolean explain = true;
        boolean thread = false;
        boolean seenFormat = false;
        String mallocInfo = null;
        Integer pause = null;
        Integer max = null;
        for (int a = 1; a < args.size(); a++) {
            String opt = args.get(a);
            String val = a + 1 < args.size() ? args.get(a + 1) : null;
            switch (opt) {
                case "--trim" -> trim = once(trim, true);
                case "--no-explain" -> explain = !once(!explain, true);
                case "--thread" -> thread = once(thread, true);
                case "--format" -> {
                    once(seenFormat, true);
                    if (val == null || !(val.equals("records") || val.equals("seed"))) {
                        throw new Refused("--format takes records or seed");
                    }
                    seed = val.equals("seed");
                    seenFormat = true;
                    a++;
                }
                case "--malloc-info" -> {
                    once(mallocInfo != null, true);
                    if (val == null || val.isEmpty()) {
                        throw new Refused("--malloc-info takes a path");
                    }
                    mallocInfo = val;
                    a++;
                }
                case "--pause-after" -> {
                    once(pause != null, true);
                    pause = parseInt(val, "--pause-after takes a round number");
                    a++;
                }
                case "--max-rounds" -> {
                    once(max != null, true);
                    max = parseInt(val, "--max-rounds takes a number of rounds, 1 or more");
                    if (max < 1) {
                        throw new Refused("--max-rounds takes a number of rounds, 1 or more");
                    }
                    a++;
                }
                default -> throw new Refused("unknown option");
            }
        }
        if (seed && pause != null && pause >= 0) {
            throw new Refused("--format seed is the article's program: it cannot pause");
        }
        return new ChildArgs(args.get(0), trim, seed, explain, thread, mallocInfo, pause, max);
    }

    /** An option seen already is refused; otherwise the new value. */
    private static boolean once(boolean seen, boolean value) throws Refused {
        if (seen) {
            throw new Refused("an option is given twice");
        }
        return value;
    }

    /** A whole decimal int, as child_args.c's parse_int (strtol over the whole string, in int range). */
    private static int parseInt(String s, String message) throws Refused {
        if (s == null || !s.matches("-?[0-9]+")) {
            throw new Refused(message);
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new Refused(message);
        }
    }
}
