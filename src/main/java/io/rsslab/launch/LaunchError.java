package io.rsslab.launch;

/**
 * Bad input or an unusable machine, found while preparing or running a
 * command's children: reported as one line, exit code 2 (cli.ExitCodes).
 */
public class LaunchError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LaunchError(String message) {
        super(message);
    }
}
