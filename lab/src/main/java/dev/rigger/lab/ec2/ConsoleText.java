package dev.rigger.lab.ec2;

/**
 * The console text of an instance, shaped like cloud-init's on an Ubuntu AMI: the host key fingerprints block
 * (lines prefixed "ec2: ", as cloud-init writes them) and the host keys block, both read from the host's
 * /etc/ssh out of band.
 */
final class ConsoleText {
    private ConsoleText() {
    }

    static String of(Ec2State.Instance i) {
        StringBuilder out = new StringBuilder();
        out.append("[    0.000000] Linux version 5.15.0-1051-aws (buildd@lcy02-amd64-001) #56-Ubuntu SMP\r\n");
        out.append("[    2.104512] cloud-init[512]: Cloud-init v. 23.3.3-0ubuntu0~22.04.1 running 'init' at ")
                .append(i.launchTime).append(". Up 2.10 seconds.\r\n");
        out.append("[    3.201123] cloud-init[512]: ci-info: +++++++++++++++++Net device info++++++++++++++++++\r\n");
        out.append("[    3.201456] cloud-init[512]: ci-info: | eth0 | True | ").append(i.privateIp)
                .append(" | 255.255.255.0 | global |\r\n");
        out.append("[    4.000001] cloud-init[512]: Generating public/private ed25519 key pair.\r\n");
        out.append("ec2: \r\n");
        out.append("ec2: #############################################################\r\n");
        out.append("ec2: -----BEGIN SSH HOST KEY FINGERPRINTS-----\r\n");
        for (String print : i.hostKeyFingerprints) {
            out.append("ec2: ").append(print).append("\r\n");
        }
        out.append("ec2: -----END SSH HOST KEY FINGERPRINTS-----\r\n");
        out.append("ec2: #############################################################\r\n");
        out.append("-----BEGIN SSH HOST KEY KEYS-----\r\n");
        for (String key : i.hostKeys) {
            out.append(key).append("\r\n");
        }
        out.append("-----END SSH HOST KEY KEYS-----\r\n");
        out.append("[    6.123456] cloud-init[601]: Cloud-init v. 23.3.3-0ubuntu0~22.04.1 finished at ")
                .append(i.launchTime).append(". Datasource DataSourceEc2Local.  Up 6.12 seconds\r\n");
        out.append("\r\nUbuntu 22.04.3 LTS ").append(i.hostname).append(" ttyS0\r\n\r\n")
                .append(i.hostname).append(" login: ");
        return out.toString();
    }
}
