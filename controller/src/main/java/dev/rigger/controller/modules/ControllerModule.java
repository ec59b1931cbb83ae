package dev.rigger.controller.modules;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A module that runs in the controller with one host as its target (EC2, Docker over SSH, the ECS
 * management API, waits). Like an agent module it first plans from what it observes, and the runner
 * applies the plan; check mode is "plan, don't apply". Planning may block (it is called on the
 * executor's threads, never on an event loop).
 */
public interface ControllerModule {

    ControllerPlan plan(ObjectNode args, ControllerModuleContext context) throws Exception;
}
