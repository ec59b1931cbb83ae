package dev.rigger.controller.modules.ec2;

import java.util.Comparator;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;

/** The AMI to launch: the one given, or the newest Ubuntu 22.04 amd64 image that Canonical publishes. */
record Ec2Image(String id, String name, String rootDeviceName) {
    static final String CANONICAL = "099720109477";
    static final String UBUNTU_JAMMY = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*";

    static Ec2Image find(Ec2Client ec2, String ami) {
        if (ami != null) {
            Image image = Ec2Failure.call("DescribeImages for " + ami, () -> ec2.describeImages(r -> r.imageIds(ami)))
                    .images().stream().filter(i -> ami.equals(i.imageId())).findFirst()
                    .orElseThrow(() -> new Ec2Failure("DescribeImages for " + ami + ": no such image in the region"));
            return of(image);
        }
        String what = "DescribeImages for owner " + CANONICAL + " name " + UBUNTU_JAMMY;
        return Ec2Failure.call(what, () -> ec2.describeImagesPaginator(r -> r.owners(CANONICAL).filters(
                                Ec2Tags.filter("name", UBUNTU_JAMMY), Ec2Tags.filter("state", "available"),
                                Ec2Tags.filter("architecture", "x86_64")))
                        .images().stream()
                        .max(Comparator.comparing(Image::creationDate, Comparator.nullsFirst(Comparator.naturalOrder()))))
                .map(Ec2Image::of)
                .orElseThrow(() -> new Ec2Failure(what + ": no image found; give args.ami"));
    }

    private static Ec2Image of(Image i) {
        return new Ec2Image(i.imageId(), i.name(), i.rootDeviceName() != null ? i.rootDeviceName() : "/dev/sda1");
    }
}
