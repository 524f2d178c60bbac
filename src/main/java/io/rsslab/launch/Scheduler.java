package io.rsslab.launch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * The one admission of every command that runs children, by jobs and by
 * memory. Starts runs longest first, each on its own thread (the thread lives as
 * long as its child: the child's parent-death signal is tied to it), as
 * long as Admission allows; a smaller run may start beside a large one
 * that must wait for memory. Once a run has thrown (its results could not
 * be written), no further run starts; the first error is thrown when the
 * runs already started have ended.
 */
public final class Scheduler {

    /** Runs one job to its end; must not throw for a failed child. */
    public interface Executor<T> {
        void execute(T work);
    }

    private final int jobs;
    private final long budgetKb;
    private int running;
    private long runningKb;
    private RuntimeException firstError;

    public Scheduler(int jobs, long budgetKb) {
        this.jobs = jobs;
        this.budgetKb = budgetKb;
    }

    /** Runs every spec; returns when all have ended. */
    public <T> void runAll(List<Job<T>> plan, Executor<T> executor) throws InterruptedException {
        // Longest first; the plan's order among equals.
        List<Job<T>> pending = new ArrayList<>(plan.stream()
                .sorted(Comparator.comparingDouble(Job<T>::expectedSeconds).reversed()).toList());
        synchronized (this) {
            while (!pending.isEmpty() || running > 0) {
                if (firstError != null) {
                    // A run could not be recorded (a full disk): start nothing more, let the others end.
                    pending.clear();
                }
                boolean started = false;
                for (Iterator<Job<T>> it = pending.iterator(); it.hasNext();) {
                    Job<T> s = it.next();
                    long peak = s.peakKb();
                    // Alone, a run always starts: neverFits was checked before anything ran.
                    if (Admission.admits(running, runningKb, peak, jobs, budgetKb) || running == 0) {
                        it.remove();
                        start(s, peak, executor);
                        started = true;
                    }
                }
                if (!started || pending.isEmpty()) {
                    wait();
                }
            }
        }
        if (firstError != null) {
            throw firstError;
        }
    }

    private <T> void start(Job<T> s, long peak, Executor<T> executor) {
        running++;
        runningKb += peak;
        Thread t = new Thread(() -> {
            try {
                executor.execute(s.work());
            } catch (RuntimeException e) {
                synchronized (this) {
                    if (firstError == null) {
                        firstError = e;
                    }
                }
            } finally {
                synchronized (this) {
                    running--;
                    runningKb -= peak;
                    notifyAll();
                }
            }
        }, "rsslab-run-" + s.id());
        t.start();
    }
}
