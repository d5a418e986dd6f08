package dev.baton.node.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenFileTest {

    @Test
    void parsesLinesCommentsAndBlanks() throws Exception {
        String text = "# ops tokens\n\n" + TokenFile.line("ops", AccessRole.ADMIN, "t-admin") + "\n  "
                + TokenFile.line("app", AccessRole.WRITE, "t-write") + "  \n# end\n"
                + "dash read " + Tokens.hashed("t-read").toUpperCase().replace("SHA256", "sha256");
        Tokens tokens = TokenFile.parse(text);
        assertThat(tokens.size()).isEqualTo(3);
        assertThat(tokens.match("t-admin").orElseThrow().role()).isEqualTo(AccessRole.ADMIN);
        assertThat(tokens.match("t-write").orElseThrow().name()).isEqualTo("app");
        assertThat(tokens.match("t-read").orElseThrow().role()).isEqualTo(AccessRole.READ);
        assertThat(tokens.match("t-none")).isEmpty();
        assertThat(TokenFile.parse("").size()).isZero();
    }

    @Test
    void badLinesNameTheLineAndNeverEchoTheValue() {
        String good = TokenFile.line("ops", AccessRole.ADMIN, "x");
        assertThatThrownBy(() -> TokenFile.parse(good + "\nops2 admin\n"))
                .isInstanceOf(TokenFileException.class).hasMessageStartingWith("line 2:")
                .satisfies(e -> assertThat(((TokenFileException) e).line()).isEqualTo(2));
        assertThatThrownBy(() -> TokenFile.parse("# c\nops root " + Tokens.hashed("y")))
                .hasMessageContaining("line 2").hasMessageContaining("unknown role 'root'");
        assertThatThrownBy(() -> TokenFile.parse("ops admin my-bare-secret-token"))
                .hasMessageContaining("line 1").hasMessageNotContaining("my-bare-secret-token");
        assertThatThrownBy(() -> TokenFile.parse("ops admin sha256:abc"))
                .hasMessageContaining("64 hex");
        assertThatThrownBy(() -> TokenFile.parse("ops admin sha256:" + "z".repeat(64)))
                .hasMessageContaining("64 hex");
        assertThatThrownBy(() -> TokenFile.parse(good + "\n" + TokenFile.line("ops", AccessRole.READ, "other")))
                .hasMessageContaining("line 2").hasMessageContaining("duplicate name 'ops'");
        assertThatThrownBy(() -> TokenFile.parse(good + "\n" + TokenFile.line("ops2", AccessRole.READ, "x")))
                .hasMessageContaining("line 2").hasMessageContaining("twice");
    }

    @Test
    void generatedTokensAreLongAndDistinct() {
        String a = TokenGenerator.create();
        String b = TokenGenerator.create();
        assertThat(a).hasSize(43).matches("[A-Za-z0-9_-]+").isNotEqualTo(b);
    }
}
