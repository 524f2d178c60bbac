package io.rsslab.fork;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rsslab.plan.Scenario;
import io.rsslab.run.Round;

/**
 * Validates the article program's own text (the seed format), four lines
 * a round, and hands each validated round on:
 * <pre>
 * k\t+N KB
 * \tRSS: N KB
 * \t-N KB
 * \tRSS: N KB
 * </pre>
 */
public final class SeedParser implements ChildOutput {

    private static final Pattern ALLOCATED = Pattern.compile("(-?\\d+)\t\\+(\\d+) KB");
    private static final Pattern RSS = Pattern.compile("\tRSS: (\\d+) KB");
    private static final Pattern FREED = Pattern.compile("\t-(\\d+) KB");

    private final Scenario scenario;
    private final Consumer<Round> rounds;
    private int nextRound;
    private int position;
    private int lineNo;
    private long allocatedKb;
    private long rssAfterAllocKb;

    public SeedParser(Scenario scenario, Consumer<Round> rounds) {
        this.scenario = scenario;
        this.rounds = rounds;
        this.nextRound = scenario.firstRound();
    }

    @Override
    public void line(String line) throws BadOutputException {
        lineNo++;
        switch (position) {
            case 0 -> {
                Matcher m = match(ALLOCATED, line, "k<TAB>+N KB");
                int k = Integer.parseInt(m.group(1));
                if (k != nextRound || k > scenario.lastRound()) {
                    throw bad("round " + k + " where round " + nextRound + " was due");
                }
                allocatedKb = Long.parseLong(m.group(2));
            }
            case 1 -> rssAfterAllocKb = Long.parseLong(match(RSS, line, "<TAB>RSS: N KB").group(1));
            case 2 -> {
                long freed = Long.parseLong(match(FREED, line, "<TAB>-N KB").group(1));
                if (freed != allocatedKb) {
                    throw bad("freed " + freed + " KB after allocating " + allocatedKb + " KB");
                }
            }
            default -> {
                long after = Long.parseLong(match(RSS, line, "<TAB>RSS: N KB").group(1));
                rounds.accept(new Round(nextRound, allocatedKb, rssAfterAllocKb, after));
                nextRound++;
            }
        }
        position = (position + 1) % 4;
    }

    @Override
    public void end() throws BadOutputException {
        int got = nextRound - scenario.firstRound();
        if (got != scenario.rounds() || position != 0) {
            throw new BadOutputException("the output stopped after " + got + " of " + scenario.rounds() + " rounds");
        }
    }

    private Matcher match(Pattern p, String line, String expected) throws BadOutputException {
        Matcher m = p.matcher(line);
        if (!m.matches()) {
            throw bad("expected '" + expected + "', got '" + RecordParser.abbreviate(line) + "'");
        }
        return m;
    }

    private BadOutputException bad(String what) {
        return new BadOutputException("child output line " + lineNo + ": " + what);
    }
}
