package io.rsslab.launch;

import java.util.ArrayList;
import java.util.List;

import io.rsslab.jvm.JavaRuntime;
import io.rsslab.machine.Fact;
import io.rsslab.machine.MachineFacts;

/**
 * Where a results folder comes from: the command line that made it and
 * rsslab's version (the command line knows both; the launchers write them).
 */
public record Origin(String commandLine, String version) {

    /** environment.csv's facts: rsslab's rows, the command's own, the machine's, then what follows them. */
    public List<Fact> facts(List<Fact> command, List<Fact> after) {
        List<Fact> facts = new ArrayList<>(List.of(new Fact("rsslab", "command", commandLine,
                "the command that made this folder"), new Fact("rsslab", "version", version, "")));
        facts.addAll(command);
        facts.addAll(MachineFacts.collect(JavaRuntime.current() + " (java.home of the running rsslab)"));
        facts.addAll(after);
        return facts;
    }
}
