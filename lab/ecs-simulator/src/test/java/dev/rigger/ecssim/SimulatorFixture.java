package dev.rigger.ecssim;

import java.util.Map;

/** A prepared host layout with a real XFS data mount and a simulator booted on it. */
final class SimulatorFixture implements AutoCloseable {
    final EcsHostLayout layout;
    final XfsLoopMount xfs;
    SimulatorProcess simulator;

    private SimulatorFixture(EcsHostLayout layout, XfsLoopMount xfs) {
        this.layout = layout;
        this.xfs = xfs;
    }

    static SimulatorFixture boot(Map<String, String> env) throws Exception {
        Prerequisites.requireRootWithXfsTools();
        EcsHostLayout layout = EcsHostLayout.create();
        XfsLoopMount xfs;
        try {
            xfs = XfsLoopMount.create(layout.path("/xfs.img"), layout.path("/dae/uuid-1"));
        } catch (Exception e) {
            layout.close();
            throw e;
        }
        SimulatorFixture fixture = new SimulatorFixture(layout, xfs);
        try {
            fixture.start(env);
        } catch (Exception | AssertionError e) {
            fixture.close();
            throw e;
        }
        return fixture;
    }

    void start(Map<String, String> env) throws Exception {
        simulator = SimulatorProcess.start(layout.root(), env);
        simulator.awaitReady();
    }

    EcsClient client() throws Exception {
        return new EcsClient(layout.path("/data/ecssim/keystore.p12"), simulator.mgmtPort);
    }

    EcsClient loggedIn() throws Exception {
        EcsClient client = client();
        EcsClient.Answer login = client.login("root", "ChangeMe");
        if (login.status() != 200) {
            throw new AssertionError("login failed: " + login.status() + " " + login.text());
        }
        return client;
    }

    @Override
    public void close() throws Exception {
        try {
            if (simulator != null) {
                simulator.close();
            }
        } finally {
            try {
                xfs.close();
            } finally {
                layout.close();
            }
        }
    }
}
