package io.rsslab.cli;

import io.rsslab.launch.LaunchError;

/** Bad input found by the command line itself: one line, exit code 2 (a LaunchError, mapped in ExitCodes). */
public final class UserError extends LaunchError {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }
}
