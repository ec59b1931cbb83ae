package dev.rigger.controller.cli;

import java.nio.file.Path;

/** A command that reads or writes a state directory, which is checked before the command runs. */
interface StateCommand {
    Path stateDir();
}
