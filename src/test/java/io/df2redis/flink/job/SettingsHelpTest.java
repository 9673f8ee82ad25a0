package io.df2redis.flink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.translate.DfFamily;
import io.df2redis.translate.TranslateConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --help} lists every setting the job takes, with its default, and README's "Settings"
 * tables name each of them: both come from the option definitions, so a setting added to one
 * without the other fails here.
 */
class SettingsHelpTest {
    static List<SettingsHelp.Row> rows() {
        List<SettingsHelp.Row> all = new ArrayList<>();
        SettingsHelp.groups().values().forEach(all::addAll);
        return all;
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        String help = SettingsHelp.help();
        for (var o : Df2RedisOptions.all()) {
            if (o != Df2RedisOptions.TARGET_PREPARED_FOR_JOB) {
                assertThat(help).contains("--" + o.key() + "  (default: " + SettingsHelp.defaultOf(o) + ")");
            }
        }
        assertThat(help).contains("--mode  (default: replicate)").contains("--sink.delivery-guarantee  (default: exactly-once)")
                .contains("--verify.recheck-delay  (default: 5s)").contains("--translate.snapshot-write  (default: auto)")
                .doesNotContain("prepared-for-job");
        for (SettingsHelp.Row r : rows()) {
            assertThat(r.meaning()).as(r.key()).isNotBlank().doesNotContain("(see README");
        }
    }

    @Test
    void readmeNamesEverySetting() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String settings = readme.substring(readme.indexOf("## Settings"), readme.indexOf("## Progress and metrics"));
        for (SettingsHelp.Row r : rows()) {
            assertThat(settings).as("README \"Settings\" names " + r.key()).contains("`" + r.key() + "`");
        }
    }

    @Test
    void everyListedTranslateSettingIsTakenWithItsDefaultAndOthersAreNot() {
        for (TranslateConfig.Setting s : TranslateConfig.settings()) {
            List<String> keys = new ArrayList<>();
            if (s.key().contains("<family>")) {
                for (DfFamily f : DfFamily.values()) {
                    keys.add(s.key().replace("<family>", f.configName()));
                }
            } else {
                keys.add(s.key());
            }
            for (String k : keys) {
                TranslateConfig.fromSettings(Map.of(k, s.defaultValue())); // no exception: the parser takes it
            }
        }
        assertThatThrownBy(() -> TranslateConfig.fromSettings(Map.of("translate.no-such-thing", "1")))
                .hasMessageContaining("unknown setting");
    }

    @Test
    void theVersionIsTheProjectsAndAnUnknownSettingPointsToHelp() {
        assertThat(SettingsHelp.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThatThrownBy(() -> JobSettings.fromArgs("--source.url", "redis://a:1", "--target.url", "redis://b:2", "--no.such", "1"))
                .hasMessage("--no.such: unknown setting (--help lists every setting)");
    }

    @Test
    void aBadEnumValueListsTheAllowedOnes() {
        assertThatThrownBy(() -> JobSettings.fromArgs("--source.url", "redis://a:1", "--target.url", "redis://b:2", "--mode", "snapshto"))
                .hasMessage("--mode: bad value 'snapshto': one of replicate, snapshot, cleanup, verify, cutover");
        assertThatThrownBy(() -> JobSettings.fromArgs("--source.url", "redis://a:1", "--target.url", "redis://b:2",
                "--sink.delivery-guarantee", "exactly_twice"))
                .hasMessage("--sink.delivery-guarantee: bad value 'exactly-twice': one of exactly-once, at-least-once");
    }
}
