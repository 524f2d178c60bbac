package io.rsslab.watch;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which processes watch follows: the PIDs given, and every process (but rsslab itself) that passes
 * all the filters given: --match (a regex found in its command line), --user (its real uid),
 * --cgroup (its cgroup or one below it); --all is every process. Kernel threads and zombies are
 * never selected: they have no heap.
 */
public record Selection(List<Long> pids, Pattern match, Integer uid, String cgroup, boolean all) {

    boolean filters() {
        return all || match != null || uid != null || cgroup != null;
    }

    /** Does the filter pass pid (never asked of a PID given by number: those are always followed)? */
    boolean accepts(long pid) {
        if (!filters()) {
            return false;
        }
        String cmdline = Proc.cmdline(pid);
        if (cmdline.isEmpty()) {
            return false;
        }
        if (match != null && !match.matcher(cmdline).find()) {
            return false;
        }
        if (uid != null) {
            Proc.Status s = Proc.status(pid);
            if (s == null || s.uid() != uid) {
                return false;
            }
        }
        if (cgroup != null) {
            String c = Proc.cgroup(pid);
            return c.equals(cgroup) || c.startsWith(cgroup.endsWith("/") ? cgroup : cgroup + "/");
        }
        return true;
    }
}
