package io.rsslab.cli;

import java.util.List;

import io.rsslab.data.Text;
import io.rsslab.launch.Origin;

/** The command line rsslab was started with, for environment.csv and the report ("the commands that produced it"). */
final class Invocation {

    private static volatile List<String> args = List.of();

    private Invocation() {
    }

    static void set(String[] a) {
        args = List.of(a);
    }

    /** Where a results folder made by this command comes from (environment.csv's rsslab rows). */
    static Origin origin() {
        return new Origin(line(), new Version().getVersion()[0]);
    }

    /** "rsslab matrix --scenario article-4 ...", each argument quoted where a shell would need it. */
    static String line() {
        StringBuilder b = new StringBuilder("rsslab");
        for (String a : args) {
            b.append(' ').append(a.matches("[A-Za-z0-9_./,:=+@%-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return Text.printable(b.toString());
    }
}
