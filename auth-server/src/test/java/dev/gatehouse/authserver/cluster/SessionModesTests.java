package dev.gatehouse.authserver.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.gatehouse.authserver.AuthServerApplication;
import dev.gatehouse.authserver.store.TestDatabases;

/**
 * Spring Session modes other than its defaults would let a request write attributes it
 * only read over another request's changes, or save a session before the replaced id is
 * recorded, and Spring Session's own cleanup would run beside Gatehouse's: such a start
 * is refused with the setting named, and the supported values, set explicitly, still
 * start.
 */
@ExtendWith(OutputCaptureExtension.class)
class SessionModesTests {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            save-mode  | always      | Gatehouse supports only on-set-attribute
            flush-mode | immediate   | Gatehouse supports only on-save
            table-name | MY_SESSIONS | Gatehouse's migrations create the session tables as spring_session
            cleanup-cron | 0 * * * * * | Gatehouse deletes expired sessions itself every minute
            """)
    void startWhenASessionSettingIsNotTheSupportedOneThenRefusedNamingIt(String setting, String value, String reason,
            CapturedOutput output) {
        assertThatThrownBy(() -> start("--spring.session.jdbc." + setting + "=" + value))
            .hasRootCauseInstanceOf(InvalidConfigurationPropertyValueException.class);
        assertThat(output.getAll()).contains("spring.session.jdbc." + setting).contains(reason);
    }

    @Test
    void startWhenTheDefaultModesAreSetExplicitlyThenRuns() {
        try (ConfigurableApplicationContext app = start("--spring.session.jdbc.save-mode=on-set-attribute",
                "--spring.session.jdbc.flush-mode=on-save", "--spring.session.jdbc.table-name=spring_session",
                "--spring.session.jdbc.cleanup-cron=-")) {
            assertThat(app.isRunning()).isTrue();
        }
    }

    private static ConfigurableApplicationContext start(String... settings) {
        String[] args = new String[settings.length + 3];
        args[0] = "--server.port=0";
        args[1] = "--spring.datasource.url=" + TestDatabases.newH2Url();
        args[2] = "--gatehouse.https.enabled=false";
        System.arraycopy(settings, 0, args, 3, settings.length);
        return new SpringApplicationBuilder(AuthServerApplication.class).run(args);
    }

}
