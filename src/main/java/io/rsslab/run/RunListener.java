package io.rsslab.run;

/** Receives a child's validated records as they arrive. */
public interface RunListener {

    void started(RunStart start);

    void round(RunStart start, Round round);
}
