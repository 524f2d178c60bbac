package io.rsslab.machine;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** A user name resolved as the system resolves it (getent: /etc/passwd, LDAP, ...). */
public final class Users {
    private Users() {
    }

    /** The uid of a user name, or empty when the system knows no such user. */
    public static OptionalInt uid(String name) throws IOException {
        ExternalCommand.Result r = ExternalCommand.run(List.of("getent", "passwd", name), Map.of(),
                Duration.ofSeconds(10), "getent");
        String[] f = r.out().strip().split(":");
        if (r.exit() == 0 && f.length > 2 && f[2].matches("\\d{1,9}")) {
            return OptionalInt.of(Integer.parseInt(f[2]));
        }
        return OptionalInt.empty();
    }
}
