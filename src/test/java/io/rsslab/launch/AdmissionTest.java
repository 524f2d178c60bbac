package io.rsslab.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.rsslab.plan.Host;
import io.rsslab.plan.RunSpec;
import io.rsslab.plan.Scenario;
import io.rsslab.plan.Variant;

/** The scheduler's rules with made-up memory figures: no children, no real machine. */
class AdmissionTest {

    static final Scenario BIG = new Scenario("big", "", 0, 0, 1, 4700, 30, "");
    static final Scenario SMALL = new Scenario("small", "", 0, 0, 1, 192, 1, "");

    static RunSpec run(String id, Scenario s, double relativeTime) {
        Variant v = new Variant("v" + relativeTime, "", List.of(), null, false, List.of(), false, relativeTime);
        return new RunSpec(id, s, Host.NATIVE, v, 1, false);
    }

    @Test
    void admitsWithinJobsAndBudget() {
        long budget = 10_000L * 1024;
        assertTrue(Admission.admits(0, 0, 4700L * 1024, 2, budget));
        assertTrue(Admission.admits(1, 4700L * 1024, 4700L * 1024, 2, budget));
        assertFalse(Admission.admits(2, 0, 1, 2, budget), "no third job");
        assertFalse(Admission.admits(1, 4700L * 1024, 6000L * 1024, 4, budget), "over the budget");
        assertTrue(Admission.admits(1, 4700L * 1024, 5300L * 1024, 4, budget), "exactly the budget");
    }

    @Test
    void refusesARunThatCanNeverFit() {
        List<RunSpec> plan = List.of(run("a", SMALL, 1), run("b", BIG, 1));
        assertEquals("b", Admission.neverFits(plan, 4000L * 1024).orElseThrow().runId());
        assertTrue(Admission.neverFits(plan, 4700L * 1024).isEmpty());
    }

    @Test
    void longestFirst() throws Exception {
        List<RunSpec> plan = List.of(run("small", SMALL, 1), run("big", BIG, 1), run("big-slow", BIG, 2.4));
        List<String> order = new ArrayList<>();
        new Scheduler(1, Long.MAX_VALUE).runAll(Job.ofRuns(plan), spec -> {
            synchronized (order) {
                order.add(spec.runId());
            }
        });
        assertEquals(List.of("big-slow", "big", "small"), order);
    }

    @Test
    void schedulerNeverExceedsJobsOrMemory() throws Exception {
        // Budget for two big runs at once; four jobs allowed: memory must be what limits.
        long budget = 2 * 4700L * 1024 + 100;
        List<RunSpec> plan = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            plan.add(run("big" + i, BIG, 1));
            plan.add(run("small" + i, SMALL, 1));
        }
        AtomicLong inUse = new AtomicLong();
        AtomicLong maxInUse = new AtomicLong();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(plan.size());
        new Scheduler(4, budget).runAll(Job.ofRuns(plan), spec -> {
            long peak = Admission.peakKb(spec);
            maxInUse.accumulateAndGet(inUse.addAndGet(peak), Math::max);
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            inUse.addAndGet(-peak);
            all.countDown();
        });
        assertTrue(all.await(1, TimeUnit.SECONDS));
        assertTrue(maxInUse.get() <= budget, "declared peaks in use: " + maxInUse.get());
        assertTrue(maxRunning.get() <= 4);
        assertTrue(maxRunning.get() >= 3, "small runs start beside the big ones: " + maxRunning.get());
    }
}
