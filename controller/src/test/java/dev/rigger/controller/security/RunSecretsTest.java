package dev.rigger.controller.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.controller.events.MaskingListener;
import dev.rigger.controller.events.RunEvent;
import dev.rigger.protocol.Diff;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSecretsTest {

    private final RunSecrets secrets = RunSecrets.of(List.of("*password*", "*secret*", "*token*"));

    @Test
    void namesMatchTheGlobsWhateverTheirCase() {
        assertThat(secrets.isSecretName("db_password")).isTrue();
        assertThat(secrets.isSecretName("DB_PASSWORD_OLD")).isTrue();
        assertThat(secrets.isSecretName("s3Secret")).isTrue();
        assertThat(secrets.isSecretName("token")).isTrue();
        assertThat(secrets.isSecretName("data_disk")).isFalse();
        assertThat(secrets.isSecretName("pass")).isFalse();
        assertThat(RunSecrets.of(List.of("ecs_*")).isSecretName("ecs_owner")).isTrue();
        assertThat(RunSecrets.of(List.of("ecs_*")).isSecretName("db_password")).as("the list replaces the default").isFalse();
        assertThat(RunSecrets.of(List.of()).isSecretName("db_password")).isFalse();
    }

    @Test
    void theValuesOfSecretNamedVarsAreMaskedAndOthersAreNot() {
        secrets.addVars(Map.of("db_password", "hunter2-long", "data_disk", "xvdf", "api_token", 12345678,
                "s3_secret", Map.of("key", List.of("AKIAEXAMPLE")), "tmpl_secret", "{{ other }}"));

        assertThat(secrets.mask("login hunter2-long at xvdf with 12345678 and AKIAEXAMPLE"))
                .isEqualTo("login *** at xvdf with *** and ***");
        assertThat(secrets.templatedNames()).containsExactly("tmpl_secret");
        assertThat(secrets.mask("{{ other }}")).as("a template is not its value").isEqualTo("{{ other }}");
    }

    @Test
    void aSecretContainingAnotherIsMaskedWholeAndShortValuesAreLeft() {
        secrets.addValue("abcd");
        secrets.addValue("abcdefgh");
        secrets.addValue("yes");

        assertThat(secrets.mask("abcdefgh abcd yes")).isEqualTo("*** *** yes");
    }

    @Test
    void eachLineOfAMultiLineSecretIsMaskedInOutputThatComesLineByLine() {
        secrets.addValue("-----BEGIN KEY-----\nMIIBVwIBADANBgkq\n-----END KEY-----\n");

        assertThat(secrets.mask("  MIIBVwIBADANBgkq")).isEqualTo("  ***");
    }

    @Test
    void withoutSecretsEventsPassUntouchedAndWithThemEveryStringIsMasked() {
        List<RunEvent> seen = new ArrayList<>();
        MaskingListener listener = new MaskingListener(secrets, seen::add);
        RunEvent.TaskFinished finished = new RunEvent.TaskFinished(1, "p", "t", "b/p/t", "node1",
                new ModuleResult("copy", Status.CHANGED, true, "wrote s3cr3t-value",
                        new Diff("old", "password=s3cr3t-value\n"), Map.of("out", List.of("s3cr3t-value")), List.of(), 5),
                false, null, false);

        listener.on(finished);
        secrets.addValue("s3cr3t-value");
        listener.on(finished);
        listener.on(new RunEvent.TaskOutputLine(2, "t", "node1", "stdout", "echo s3cr3t-value"));

        assertThat(seen.get(0)).isSameAs(finished);
        ModuleResult masked = ((RunEvent.TaskFinished) seen.get(1)).result();
        assertThat(masked.msg()).isEqualTo("wrote ***");
        assertThat(masked.diff().after()).isEqualTo("password=***\n");
        assertThat(masked.diff().before()).isEqualTo("old");
        assertThat(masked.data()).isEqualTo(Map.of("out", List.of("***")));
        assertThat(masked.status()).isEqualTo(Status.CHANGED);
        assertThat(((RunEvent.TaskOutputLine) seen.get(2)).line()).isEqualTo("echo ***");
    }

    @Test
    void aSecretThatJsonEscapesIsStillFoundInAnEvent() {
        List<RunEvent> seen = new ArrayList<>();
        secrets.addValue("pa\"ss\\wörd\u0001");

        new MaskingListener(secrets, seen::add).on(new RunEvent.PlayAborted(1, "p", "bad host pa\"ss\\wörd\u0001!"));

        assertThat(((RunEvent.PlayAborted) seen.get(0)).msg()).isEqualTo("bad host ***!");
    }
}
