package dev.baton.node.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.node.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {

    @TempDir
    Path dir;

    @Test
    void badFileAtStartUpNamesTheOptionAndLine() throws Exception {
        Path f = dir.resolve("tokens");
        Files.writeString(f, "# x\nops admin\n");
        assertThatThrownBy(() -> TokenStore.load(f, false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--token-file").hasMessageContaining("line 2");
        assertThatThrownBy(() -> TokenStore.load(dir.resolve("missing"), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--token-file");
    }

    @Test
    void reloadSwapsTheSetAndABadFileKeepsTheOldOne() throws Exception {
        Path f = dir.resolve("tokens");
        Files.writeString(f, TokenFile.line("a", AccessRole.READ, "ta") + "\n");
        try (TokenStore store = TokenStore.load(f, false)) {
            assertThat(store.tokens().match("ta")).isPresent();

            Files.writeString(f, TokenFile.line("b", AccessRole.ADMIN, "tb") + "\n");
            assertThat(store.reload()).isTrue();
            assertThat(store.tokens().match("ta")).isEmpty();
            assertThat(store.tokens().match("tb")).isPresent();

            Files.writeString(f, "b admin not-a-hash\n");
            assertThat(store.reload()).isFalse();
            assertThat(store.tokens().match("tb")).isPresent();

            Files.delete(f);
            assertThat(store.reload()).isFalse();
            assertThat(store.tokens().match("tb")).isPresent();
        }
    }

    @Test
    void hangupReloads() throws Exception {
        Path f = dir.resolve("tokens");
        Files.writeString(f, "");
        try (TokenStore store = TokenStore.open(f)) {
            Files.writeString(f, TokenFile.line("a", AccessRole.READ, "ta") + "\n");
            HangupSignal.fire();
            assertThat(store.tokens().match("ta")).isPresent();
        }
    }
}
