package io.rsslab.report;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

import io.rsslab.data.Text;
import io.rsslab.trace.RawTrace;
import io.rsslab.trace.TraceFile;
import io.rsslab.trace.TraceWriter;

/** What record prints: the program's exit, its trace and what it holds, the other images beside it. */
public final class RecordSummary {

    /** Other images named one per line on stderr; the rest counted. */
    private static final int SHOWN_OTHERS = 5;

    private RecordSummary() {
    }

    /** The recorded program's end, printed before its traces are written. */
    public static void status(String command, int status, PrintWriter out) {
        out.println(Text.printable(command) + ": exit status " + status);
    }

    public static void print(List<TraceWriter.Written> written, String traceName, PrintWriter out, PrintWriter err) {
        int others = 0;
        for (TraceWriter.Written w : written) {
            RawTrace raw = w.raw();
            if (w.top()) {
                out.println("trace: " + w.target() + describe(w.summary(), raw));
            } else if (++others <= SHOWN_OTHERS) {
                err.println("also recorded: " + w.target() + " (" + (raw.forked() ? "a fork of " + raw.parentPid()
                        : "a program exec'd or started by " + raw.parentPid()) + ")" + describe(w.summary(), raw));
            }
        }
        if (others > SHOWN_OTHERS) {
            err.println("and " + (others - SHOWN_OTHERS) + " more: " + others + " other process image(s) recorded "
                    + "beside the trace as " + traceName + ".PID.IMAGE (a process that called no malloc "
                    + "is not written)");
        }
        out.flush();
        err.flush();
    }

    private static String describe(TraceFile.Summary s, RawTrace raw) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                ": %,d calls, %d thread(s), peak of live bytes requested %.1f MiB, %.3f s",
                s.calls(), s.threads(), s.peakLiveBytes() / 1048576.0, s.lastTimeNs() / 1e9));
        if (s.lost() > 0) {
            b.append("; ").append(s.lost()).append(" call(s) lost (made after the recorder's exit flush or from a "
                    + "signal handler inside it)");
        }
        if (s.cutBytes() > 0) {
            b.append("; the recorder's file ends inside a block (a full disk?): the calls after it are missing");
        } else if (raw.execed()) {
            b.append("; it then exec'd another program (recorded next)");
        } else if (!raw.ended() && !raw.forked()) {
            b.append("; the process did not end through exit() or exec (killed, or _exit): up to 1,364 calls per "
                    + "thread after its last full buffer are missing");
        }
        if (s.unknownFrees() > 0) {
            b.append("; ").append(s.unknownFrees()).append(" free(s) of blocks allocated before the recording began");
        }
        return b.toString();
    }
}
