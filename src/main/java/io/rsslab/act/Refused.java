package io.rsslab.act;

/**
 * rsslab refused to act on a process, which was left as it was: the rule
 * (allocator, static, zombie, traced, stopped, busy, seccomp, permission, ...)
 * and why; cli.ExitCodes gives it its own code.
 */
public final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String rule;

    public Refused(String rule, String why) {
        super("refused (" + rule + "): " + why);
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }
}
