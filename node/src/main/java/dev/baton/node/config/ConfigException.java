package dev.baton.node.config;

/** Bad configuration: the message names the setting and says why, so start-up can print it as is. */
public final class ConfigException extends RuntimeException {
    private final String setting;

    public ConfigException(String setting, String reason) {
        super(setting + ": " + reason);
        this.setting = setting;
    }

    public ConfigException(String setting, String reason, Throwable cause) {
        super(setting + ": " + reason, cause);
        this.setting = setting;
    }

    /** The option that is wrong, e.g. {@code --members}. */
    public String setting() {
        return setting;
    }
}
