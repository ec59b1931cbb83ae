package dev.rigger.lab.ec2;

/** EC2 device names and where a Xen instance sees them: /dev/sdf is /dev/xvdf inside. */
final class Devices {
    private Devices() {
    }

    /** Accepts /dev/sd[b-z] and /dev/xvd[b-z] (EC2 recommends f-p for EBS volumes). */
    static boolean valid(String device) {
        return device.matches("/dev/(sd|xvd)[b-z]");
    }

    static String inside(String device) {
        return device.startsWith("/dev/sd") ? "/dev/xvd" + device.substring("/dev/sd".length()) : device;
    }
}
