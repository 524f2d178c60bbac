package io.rsslab.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RunIdsTest {

    @Test
    void idsPlannedInTheSameSecondNeverCollide() {
        Scenario s = ScenarioCatalog.load().find("article-4").orElseThrow();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(RunIds.next(s, Host.NATIVE));
        }
        assertEquals(100_000, ids.size());
        String id = RunIds.next(s, Host.JVM);
        assertTrue(id.matches("\\d{8}T\\d{6}Z-article-4-jvm-" + ProcessHandle.current().pid() + "-\\d+"), id);
    }
}
