package io.rsslab.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rsslab.machine.Fact;

/** A folder's kind is written in environment.csv and read back; an older folder, without the row, by its files. */
class FolderKindTest {

    @TempDir
    Path dir;

    static final List<Fact> FACTS = List.of(new Fact("rsslab", "command", "rsslab try -- x", ""),
            new Fact("rsslab", "version", "rsslab test", ""), new Fact("machine", "cores", "2", ""));

    @Test
    void theKindIsWrittenAfterRsslabsRowsAndReadBack() throws Exception {
        for (FolderKind k : FolderKind.values()) {
            Path f = Files.createDirectory(dir.resolve(k.label()));
            EnvironmentCsv.write(f.resolve(ResultsFolder.ENVIRONMENT), k.with(FACTS));
            // A file that would have made the old guess say otherwise: the row wins.
            Files.writeString(f.resolve(TryFolder.SAMPLES_FILE), "");
            assertEquals(k, FolderKind.of(f));
            List<String> lines = Files.readAllLines(f.resolve(ResultsFolder.ENVIRONMENT));
            assertEquals("rsslab,kind," + k.label() + ",\"what made this folder: scenario (run, matrix, sweep, hosts, "
                    + "reproduce), try, replay or watch\"", lines.get(3), lines.toString());
        }
    }

    @Test
    void aFolderWrittenBeforeTheKindRowIsRecognisedByItsFiles() throws Exception {
        Path old = Files.createDirectory(dir.resolve("old"));
        EnvironmentCsv.write(old.resolve(ResultsFolder.ENVIRONMENT), FACTS);
        assertEquals(FolderKind.SCENARIO, FolderKind.of(old));
        Files.writeString(old.resolve(ReplayFolder.SAMPLES_FILE), "");
        assertEquals(FolderKind.REPLAY, FolderKind.of(old));
        Files.writeString(old.resolve(TryFolder.SAMPLES_FILE), "");
        assertEquals(FolderKind.TRY, FolderKind.of(old));
    }

    @Test
    void anUnknownKindIsRefused() throws Exception {
        Path f = Files.createDirectory(dir.resolve("bad"));
        EnvironmentCsv.write(f.resolve(ResultsFolder.ENVIRONMENT), List.of(new Fact("rsslab", "kind", "later", "")));
        assertThrows(java.io.IOException.class, () -> FolderKind.of(f));
    }
}
