package io.df2redis.flink.job;

/** A setting (flag or key of the YAML file) that is missing, unknown or has a bad value. */
public class InvalidSettingException extends IllegalArgumentException {
    private final String setting;

    public InvalidSettingException(String setting, String problem) {
        super("--" + setting + ": " + problem);
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }
}
