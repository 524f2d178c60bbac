package io.rsslab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.rsslab.plan.Sweep;
import picocli.CommandLine.Option;

/** --param NAME=VALUE: a churn scenario's parameters (see: rsslab scenarios). */
public final class ParamOptions {

    @Option(names = "--param", paramLabel = "NAME=VALUE",
            description = "A parameter of churn or a churn scenario file (see: rsslab scenarios), e.g. "
                    + "--param size=4M --param threads=4. Repeat for more.")
    List<String> params = new ArrayList<>();

    /** One value each (run, matrix, hosts). */
    Map<String, String> single() {
        return Sweep.parse(params).single();
    }

    /** Values, lists and ranges (sweep). */
    Sweep sweep() {
        return Sweep.parse(params);
    }
}
