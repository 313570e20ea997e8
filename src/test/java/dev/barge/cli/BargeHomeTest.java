package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the state directory goes: a variable that is set but empty (or, for XDG, relative) counts as unset. */
class BargeHomeTest {
    @Test
    void bargeHomeWinsThenXdgDataHomeThenHome() {
        assertThat(BargeHome.of(Map.of("BARGE_HOME", "/b", "XDG_DATA_HOME", "/x", "HOME", "/h"), "/u"))
                .isEqualTo(Path.of("/b"));
        assertThat(BargeHome.of(Map.of("XDG_DATA_HOME", "/x", "HOME", "/h"), "/u")).isEqualTo(Path.of("/x/barge"));
        assertThat(BargeHome.of(Map.of("HOME", "/h"), "/u")).isEqualTo(Path.of("/h/.local/share/barge"));
        assertThat(BargeHome.of(Map.of(), "/u")).isEqualTo(Path.of("/u/.local/share/barge"));
    }

    @Test
    void anEmptyVariableIsAsIfUnset() {
        assertThat(BargeHome.of(Map.of("BARGE_HOME", "", "XDG_DATA_HOME", "", "HOME", "/h"), "/u"))
                .as("not /barge").isEqualTo(Path.of("/h/.local/share/barge"));
        assertThat(BargeHome.of(Map.of("XDG_DATA_HOME", " ", "HOME", ""), "/u"))
                .isEqualTo(Path.of("/u/.local/share/barge"));
        assertThat(BargeHome.of(Map.of("XDG_DATA_HOME", "relative/dir", "HOME", "/h"), "/u"))
                .as("XDG: a relative path is ignored").isEqualTo(Path.of("/h/.local/share/barge"));
    }

    @Test
    void anEmptyXdgConfigHomeFindsTheRemotesFileUnderHome() {
        assertThat(RemotesFile.defaultPath(Map.of("XDG_CONFIG_HOME", "", "HOME", "/h"), "/u"))
                .isEqualTo(Path.of("/h/.config/barge/remotes.yml"));
    }
}
