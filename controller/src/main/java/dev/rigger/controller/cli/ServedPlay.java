package dev.rigger.controller.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rigger.controller.events.HostRecap;
import dev.rigger.controller.events.RunEvent;
import dev.rigger.controller.events.RunEventJson;
import dev.rigger.controller.events.RunListener;
import dev.rigger.controller.run.RunReport;
import dev.rigger.controller.serve.RunRequest;
import dev.rigger.controller.serve.ServeClient;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code rigger play} handed to a running {@code rigger serve} of the same state: its agents are attached
 * already, so a run skips SSH and the agents' start. The events come back over the API and go to the same
 * console (or {@code --json}) as a local run's; the exit code is the same too.
 */
final class ServedPlay {
    private final ServeClient serve;
    private final PrintStream err;

    ServedPlay(ServeClient serve, PrintStream err) {
        this.serve = serve;
        this.err = err;
    }

    int run(RunRequest request, RunListener output) throws IOException {
        ServeClient.Answer started = serve.post("/api/runs", request);
        if (started.status() != 202) {
            err.println("rigger: " + serve.url() + " refused the run: " + started.error());
            started.body().path("problems").forEach(p -> err.println(p.asText()));
            return started.status() == 400 ? RiggerCli.BAD_INPUT : RiggerCli.FAILED;
        }
        String id = started.body().path("id").asText();
        Map<String, HostRecap> recap = new LinkedHashMap<>();
        boolean[] aborted = {false};
        boolean[] finished = {false};
        serve.events(id, json -> {
            RunEvent event;
            try {
                event = RunEventJson.read(json);
            } catch (JsonProcessingException e) {
                return;
            }
            output.on(event);
            if (event instanceof RunEvent.PlayAborted) {
                aborted[0] = true;
            } else if (event instanceof RunEvent.RunFinished f) {
                recap.putAll(f.recap());
                finished[0] = true;
            }
        });
        if (!finished[0]) {
            ServeClient.Answer info = serve.get("/api/runs/" + id);
            err.println("rigger: run " + id + " on " + serve.url() + " ended without finishing: "
                    + info.body().path("error").asText(info.body().path("status").asText("unknown")));
            return RiggerCli.FAILED;
        }
        return new RunReport(id, recap, aborted[0]).exitCode();
    }
}
