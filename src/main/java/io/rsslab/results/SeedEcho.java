package io.rsslab.results;

import java.io.PrintWriter;

/**
 * Passes the article program's text through unchanged (tabs, " KB", one
 * line at a time) once the seed parser has accepted each line.
 */
public final class SeedEcho implements ChildOutput {

    private final SeedParser parser;
    private final PrintWriter out;

    public SeedEcho(SeedParser parser, PrintWriter out) {
        this.parser = parser;
        this.out = out;
    }

    @Override
    public void line(String line) throws BadOutputException {
        parser.line(line);
        out.print(line);
        out.print('\n');
        out.flush();
    }

    @Override
    public void end() throws BadOutputException {
        parser.end();
    }
}
