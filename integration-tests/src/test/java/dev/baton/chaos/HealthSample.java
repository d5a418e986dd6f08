package dev.baton.chaos;

/**
 * One look at a node under a disk fault ({@link HealthSampler}): the length of its log file just
 * before the requests were sent and just after the answers came, what {@code /v1/status} said
 * (role and health state; null: no answer) and the HTTP status of {@code /health/standby} (0: no
 * answer). Times are the test JVM's {@link System#nanoTime()}.
 */
public record HealthSample(long sentNanos, long receivedNanos, long logBytesBefore, long logBytesAfter, String role,
        String health, int standbyStatus) {

    /** Whether any of the answers calls the node fit to serve. */
    boolean claimsHealthy() {
        return "ok".equals(health) || (role != null && !"UNHEALTHY".equals(role)) || standbyStatus == 200;
    }

    @Override
    public String toString() {
        return "role " + role + ", health " + health + ", /health/standby " + standbyStatus + " [sent " + sentNanos
                + ", answered " + receivedNanos + "; log " + logBytesBefore + ".." + logBytesAfter + " bytes]";
    }
}
