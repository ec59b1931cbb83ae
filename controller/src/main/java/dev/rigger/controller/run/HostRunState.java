package dev.rigger.controller.run;

import dev.rigger.controller.inventory.InventoryHost;
import dev.rigger.playbook.Templates;
import dev.rigger.protocol.ProtocolJson;
import dev.rigger.protocol.facts.HostFacts;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One host's part of a run: its session, its facts, what its tasks registered, and whether it is still in.
 * Only this class writes them; the executor and the task runner tell it what happened.
 */
final class HostRunState {
    final InventoryHost host;
    private volatile HostSession session;
    private volatile HostFacts facts;
    private volatile Map<String, Object> factsView = Map.of();
    private volatile String noFactsWhy;
    private volatile boolean failed;
    private volatile boolean unreachable;
    /** Its agent fell silent while a task ran: out for the rest of the run, reported apart from unreachable. */
    private volatile boolean lost;
    /** Why it was lost, until the run has reported it (once, with the task it was lost in). */
    private String lostUnreported;
    private final Map<String, Object> registered = new ConcurrentHashMap<>();
    /** Facts as templates read them, converted once. */
    private volatile Object factsContext = Templates.toContextValue(Map.of());
    /** Counts changes to what other hosts see of this one through {@code hostvars} (facts, registered results). */
    private final AtomicInteger version = new AtomicInteger();

    HostRunState(InventoryHost host) {
        this.host = host;
    }

    @SuppressWarnings("unchecked")
    void facts(HostFacts facts) {
        this.facts = facts;
        // templates read facts as plain maps; converting once per host keeps hostvars cheap
        this.factsView = facts == null ? Map.of() : ProtocolJson.MAPPER.convertValue(facts, Map.class);
        this.factsContext = Templates.toContextValue(factsView);
        version.incrementAndGet();
    }

    /** This host has no facts in this run, and why ({@code facts refused: ...}, {@code unreachable: ...}). */
    void noFacts(String why) {
        facts(null);
        noFactsWhy = why;
    }

    /** Why this host has no facts, when it has none for a known reason; else null. */
    String noFactsWhy() {
        return facts == null ? noFactsWhy : null;
    }

    Object factsContext() {
        return factsContext;
    }

    /** A task registered a result: hostvars built before are stale. */
    void register(String name, Object result) {
        registered.put(name, result);
        version.incrementAndGet();
    }

    /** What its tasks registered, by name. */
    Map<String, Object> registered() {
        return Collections.unmodifiableMap(registered);
    }

    /**
     * This host's details changed during the run (a module registered it again): what the run knew of it as
     * {@code earlier} stays, and its session too while the address is the same (else that session is closed).
     */
    void takeOver(HostRunState earlier) {
        registered.putAll(earlier.registered);
        failed = earlier.failed;
        unreachable = earlier.unreachable;
        if (earlier.host.address().equals(host.address())) {
            session = earlier.session;
        } else if (earlier.session != null) {
            earlier.session.close();
        }
    }

    HostSession session() {
        return session;
    }

    /** Its agent is attached. */
    void attach(HostSession session) {
        this.session = session;
    }

    /** Closes its session, if it has one. */
    void closeSession() {
        if (session != null) {
            session.close();
        }
    }

    /** A task failed on it (or its facts were refused): out for the rest of the run. */
    void fail() {
        failed = true;
    }

    /** It could not be reached, or its connection broke: out for the rest of the run. */
    void markUnreachable() {
        unreachable = true;
    }

    boolean unreachable() {
        return unreachable;
    }

    boolean lost() {
        return lost;
    }

    int version() {
        return version.get();
    }

    HostFacts facts() {
        return facts;
    }

    Map<String, Object> factsView() {
        return factsView;
    }

    /** The agent fell silent; the first reason sticks. */
    synchronized void lose(String why) {
        if (!lost) {
            lost = true;
            lostUnreported = why;
        }
    }

    /** The reason it was lost if that was not reported yet, else null; reports it only once. */
    synchronized String takeUnreportedLoss() {
        String why = lostUnreported;
        lostUnreported = null;
        return why;
    }

    /** Failed, unreachable or lost: it takes no further part in the run. */
    boolean out() {
        return failed || unreachable || lost;
    }

    String name() {
        return host.name();
    }

    boolean active() {
        return session != null && !failed && !unreachable && !lost;
    }
}
