package io.rsslab.malloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.rsslab.plan.EnvPair;

class MallocSettingsTest {

    /** What glibc 2.36's loader printed here with MALLOC_TRIM_THRESHOLD_=131072 set. */
    static final String LISTING = String.join("\n",
            "glibc.malloc.trim_threshold: 0x20000 (min: 0x0, max: 0xffffffffffffffff)",
            "glibc.malloc.mmap_max: 0 (min: 0, max: 2147483647)",
            "glibc.malloc.arena_max: 0x0 (min: 0x1, max: 0xffffffffffffffff)",
            "glibc.malloc.mmap_threshold: 0x4000000 (min: 0x0, max: 0xffffffffffffffff)",
            "glibc.rtld.nns: 0x4 (min: 0x1, max: 0x10)");

    static List<SettingCheck> check(String... pairs) {
        return MallocSettings.check(List.of(pairs).stream().map(EnvPair::parse).toList(),
                LoaderTunables.parse(LISTING));
    }

    @Test
    void parsesTheLoadersListing() {
        Map<String, Tunable> m = LoaderTunables.parse(LISTING);
        assertEquals(5, m.size());
        assertEquals(new Tunable("glibc.malloc.mmap_max", 0, 0, 2147483647), m.get("glibc.malloc.mmap_max"));
        assertEquals(-1L, m.get("glibc.malloc.trim_threshold").max(), "0xffffffffffffffff as unsigned");
    }

    @Test
    void judgesEachSetting() {
        assertEquals("applied", check("MALLOC_TRIM_THRESHOLD_=131072").get(0).status());
        assertEquals("applied", check("MALLOC_TRIM_THRESHOLD_=0x20000").get(0).status());
        assertEquals("ignored", check("MALLOC_TRIM_THRESHOLD_=abc").get(0).status());
        assertEquals("ignored", check("MALLOC_TRIM_THRESHOLD_=4096").get(0).status(), "another value in force");
        assertEquals("ignored", check("MALLOC_ARENA_MAX=0").get(0).status(), "below the tunable's min");
        assertEquals("rejected", check("MALLOC_MMAP_THRESHOLD_=67108864").get(0).status(), "above 32 MiB");
        List<SettingCheck> t = check("GLIBC_TUNABLES=glibc.malloc.trim_threshold=131072:glibc.malloc.bogus=1");
        assertEquals(List.of("applied", "unknown"), t.stream().map(SettingCheck::status).toList());
        assertEquals(List.of(), check("MALLOC_NOT_A_TUNABLE=1", "PATH=/bin"));
    }

    @Test
    void theRealLoaderFlagsAMalformedValue() throws Exception {
        List<EnvPair> env = List.of(EnvPair.parse("MALLOC_TRIM_THRESHOLD_=131072"),
                EnvPair.parse("MALLOC_MMAP_THRESHOLD_=lots"),
                EnvPair.parse("GLIBC_TUNABLES=glibc.malloc.top_pad=131072:glibc.malloc.no_such=1"));
        Map<String, String> envMap = Map.of(env.get(0).name(), env.get(0).value(), env.get(1).name(),
                env.get(1).value(), env.get(2).name(), env.get(2).value());
        List<SettingCheck> checks = MallocSettings.check(env, LoaderTunables.read(envMap));
        assertEquals(List.of("applied", "ignored", "applied", "unknown"),
                checks.stream().map(SettingCheck::status).toList(), MallocSettings.summary(checks));
        assertTrue(checks.get(1).describe().contains("'lots' is not a number"), checks.get(1).describe());
    }
}
