package io.rsslab.fork;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ChildExitTest {

    @Test
    void namesSignalsAndStatuses() {
        assertEquals("exited normally", ChildExit.describe(0));
        assertEquals("exit status 1", ChildExit.describe(1));
        assertEquals("killed by SIGKILL, possibly the OOM killer (exit status 137)", ChildExit.describe(137));
        assertEquals("killed by SIGSEGV (exit status 139)", ChildExit.describe(139));
        assertEquals("exit status 255", ChildExit.describe(255));
    }
}
