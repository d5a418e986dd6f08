package dev.baton.it;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * When a test or a lifecycle method fails, prints the log tail of every open {@link TestCluster}
 * to the test output, so that a CI log shows what the nodes were doing.
 */
public final class NodeLogsOnFailure implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    private static final int LINES = 80;

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        dump(context, throwable);
        throw throwable;
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        dump(context, throwable);
        throw throwable;
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        dump(context, throwable);
        throw throwable;
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        dump(context, throwable);
        throw throwable;
    }

    private static void dump(ExtensionContext context, Throwable throwable) {
        System.out.printf("[it] %s failed: %s%n", context.getDisplayName(), throwable);
        TestCluster.dumpAllOpen(System.out, LINES);
    }
}
