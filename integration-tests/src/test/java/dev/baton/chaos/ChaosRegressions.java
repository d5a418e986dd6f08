package dev.baton.chaos;

import java.util.List;

/**
 * Seeds whose runs found a Baton bug, kept to re-create the situation after a fix:
 * {@code scripts/chaos.sh soak --regressions} runs each one with its cluster size and length
 * (a seed fixes the fault schedule; the cluster's reactions may differ, so run a seed a few times
 * if a replay passes once). Since 2026-12-02 the nemesis draws fault kinds from a shuffled bag
 * (every kind once per round) instead of one by one, so these seeds now give other schedules than
 * the ones that found the bugs; they remain useful as varied runs of the same length and size.
 */
public final class ChaosRegressions {

    /** @param found what the run found, with the date, for the record */
    public record Case(long seed, int nodes, int seconds, String found) {}

    public static final List<Case> CASES = List.of(
            new Case(1, 3, 60, "2026-11-25: n1 ACTIVE three times in term 9 (ACTIVE -> FENCED -> ACTIVE, lease regained"
                    + " in the same term), after SIGTERM hand-overs; also 9.7 s without ACTIVE after a split healed"),
            new Case(3, 5, 100, "2026-11-25: after SIGTERM of the ACTIVE n2 (term 13) no ACTIVE for 21.8 s with a majority"
                    + " connected (19.6 s after the restart); followers kept following n2 for 8.8 s after it left;"
                    + " several same-term re-ACTIVE intervals"),
            new Case(101, 5, 280, "2026-11-25 (soak round 1): kill -9 of the STANDBY n5 ended n2's ACTIVE (term 30);"
                    + " no ACTIVE for 19.5 s with n1-n4 up: n1, n2 CANDIDATE at term 30, n3 still STANDBY of n4 at term 29"),
            new Case(100, 3, 280, "2026-11-25 (soak round 0): no ACTIVE for 16 s after a SIGSTOP and after a kill -9 healed;"
                    + " 15 same-term re-ACTIVE intervals (n2 ACTIVE 7 times in term 25)"));

    private ChaosRegressions() {}
}
