package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two JVMs never hold the same loopback block: a block another JVM holds cannot be taken here until
 * that JVM is gone, and one JVM never hands out a block twice while it is held.
 */
class LoopbackBlocksTest {

    /** A second JVM: takes a block, prints its number, holds it until its stdin closes. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            LoopbackBlocks.Block b = LoopbackBlocks.take(1);
            System.out.println(b.number());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the block until the parent closes our stdin or kills us
            }
        }
    }

    @Test
    void aBlockHeldByAnotherJvmIsNotTakenUntilThatJvmIsGone() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Holder.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            String line = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(line).as("block number from the other JVM").isNotNull().matches("\\d+");
            int held = Integer.parseInt(line);

            assertThat(LoopbackBlocks.tryTake(held, 1)).as("block %d while the other JVM holds it", held).isNull();

            other.getOutputStream().close();
            assertThat(other.waitFor(30, TimeUnit.SECONDS)).as("the other JVM exited").isTrue();
            try (LoopbackBlocks.Block mine = LoopbackBlocks.tryTake(held, 1)) {
                assertThat(mine).as("block %d once the other JVM is gone", held).isNotNull();
            }
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void oneJvmNeverHandsOutAHeldBlockTwice() {
        try (LoopbackBlocks.Block a = LoopbackBlocks.take(3); LoopbackBlocks.Block b = LoopbackBlocks.take(3)) {
            assertThat(a.number()).isNotEqualTo(b.number());
            assertThat(LoopbackBlocks.tryTake(a.number(), 3)).as("block %d, held here", a.number()).isNull();
            assertThat(a.hosts()).isEqualTo(List.of(
                    "127.0.0." + (a.number() * 10 + 1), "127.0.0." + (a.number() * 10 + 2), "127.0.0." + (a.number() * 10 + 3)));
        }
    }
}
