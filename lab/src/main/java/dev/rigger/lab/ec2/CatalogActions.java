package dev.rigger.lab.ec2;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every account sees without making it: the images of {@link Ec2Image#CATALOG} (Ubuntu 22.04 on the bare
 * lab image, the account's own full lab image),
 * one availability zone, one default VPC and subnet on the lab network's /24; and CreateTags for everything.
 */
final class CatalogActions {
    private static final Set<String> IMAGE_FILTERS = Set.of("name", "owner-id", "owner-alias", "image-id", "state",
            "architecture", "root-device-type", "virtualization-type", "is-public", "image-type");
    private static final Set<String> ZONE_FILTERS = Set.of("zone-name", "region-name", "state", "zone-id", "zone-type");
    private static final Set<String> VPC_FILTERS = Set.of("vpc-id", "is-default", "state", "cidr", "cidr-block", "owner-id");
    private static final Set<String> SUBNET_FILTERS = Set.of("subnet-id", "vpc-id", "availability-zone",
            "default-for-az", "state", "cidr-block", "owner-id");

    private final Ec2Service s;

    CatalogActions(Ec2Service service) {
        this.s = service;
    }

    String describeImages(QueryRequest r) {
        List<String> ids = r.list("ImageId");
        List<String> owners = r.list("Owner");
        for (String id : ids) {
            if (Ec2Image.byId(id).isEmpty()) {
                throw Ec2Image.notFound(id);
            }
        }
        XmlWriter x = new XmlWriter().root("DescribeImagesResponse").leaf("requestId", "%REQUEST_ID%").start("imagesSet");
        for (Ec2Image image : Ec2Image.CATALOG) {
            boolean match = (ids.isEmpty() || ids.contains(image.imageId()))
                    && (owners.isEmpty() || owners.stream().anyMatch(image::ownedBy))
                    && Ec2Filter.all(r.filters(), IMAGE_FILTERS, Map.of("name", List.of(image.name()),
                            "owner-id", List.of(image.ownerId()), "image-id", List.of(image.imageId()),
                            "state", List.of("available"), "architecture", List.of("x86_64"),
                            "root-device-type", List.of("ebs"), "virtualization-type", List.of("hvm"),
                            "is-public", List.of(String.valueOf(image.isPublic())), "image-type", List.of("machine")),
                            Map.of());
            if (match) {
                image(x, image);
            }
        }
        return x.finish();
    }

    private static void image(XmlWriter x, Ec2Image image) {
        String location = (image.ownerId().equals(Ec2Image.UBUNTU_OWNER) ? "amazon" : image.ownerId()) + "/" + image.name();
        x.start("item").leaf("imageId", image.imageId())
                .leaf("imageLocation", location).leaf("imageState", "available")
                .leaf("imageOwnerId", image.ownerId()).leaf("creationDate", "2024-01-01T00:00:00.000Z")
                .leaf("isPublic", String.valueOf(image.isPublic())).leaf("architecture", "x86_64")
                .leaf("imageType", "machine").leaf("name", image.name()).leaf("description", image.description())
                .leaf("rootDeviceType", "ebs").leaf("rootDeviceName", "/dev/sda1")
                .start("blockDeviceMapping").start("item").leaf("deviceName", "/dev/sda1")
                .start("ebs").leaf("volumeSize", 8).leaf("deleteOnTermination", "true").leaf("volumeType", "gp2")
                .leaf("encrypted", "false").end().end().end()
                .leaf("virtualizationType", "hvm").leaf("hypervisor", "xen").leaf("enaSupport", "true")
                .leaf("sriovNetSupport", "simple").leaf("platformDetails", "Linux/UNIX")
                .leaf("usageOperation", "RunInstances").end();
    }

    String describeAvailabilityZones(QueryRequest r) {
        String zone = s.availabilityZone();
        List<String> names = r.list("ZoneName");
        for (String name : names) {
            if (!name.equals(zone)) {
                throw Ec2ApiException.invalid("ZoneName", name, "The zone does not exist in " + s.options.region() + ".");
            }
        }
        boolean match = Ec2Filter.all(r.filters(), ZONE_FILTERS, Map.of("zone-name", List.of(zone),
                "region-name", List.of(s.options.region()), "state", List.of("available"),
                "zone-id", List.of(zoneId()), "zone-type", List.of("availability-zone")), Map.of());
        XmlWriter x = new XmlWriter().root("DescribeAvailabilityZonesResponse").leaf("requestId", "%REQUEST_ID%")
                .start("availabilityZoneInfo");
        if (match) {
            x.start("item").leaf("zoneName", zone).leaf("zoneState", "available").leaf("regionName", s.options.region())
                    .leaf("zoneId", zoneId()).leaf("zoneType", "availability-zone")
                    .leaf("optInStatus", "opt-in-not-required").leaf("groupName", s.options.region())
                    .leaf("networkBorderGroup", s.options.region()).start("messageSet").end().end();
        }
        return x.finish();
    }

    String zoneId() {
        String[] parts = s.options.region().split("-");
        return parts[0] + parts[1].charAt(0) + parts[parts.length - 1] + "-az1";
    }

    String describeVpcs(QueryRequest r) {
        List<String> ids = r.list("VpcId");
        for (String id : ids) {
            if (!id.equals(s.vpcId)) {
                throw new Ec2ApiException("InvalidVpcID.NotFound", "The vpc ID '" + id + "' does not exist");
            }
        }
        boolean match = Ec2Filter.all(r.filters(), VPC_FILTERS, Map.of("vpc-id", List.of(s.vpcId),
                "is-default", List.of("true"), "state", List.of("available"), "cidr", List.of(s.subnetCidr),
                "cidr-block", List.of(s.subnetCidr), "owner-id", List.of(Ec2Ids.ACCOUNT)), Map.of());
        XmlWriter x = new XmlWriter().root("DescribeVpcsResponse").leaf("requestId", "%REQUEST_ID%").start("vpcSet");
        if (match) {
            x.start("item").leaf("vpcId", s.vpcId).leaf("ownerId", Ec2Ids.ACCOUNT).leaf("state", "available")
                    .leaf("cidrBlock", s.subnetCidr).start("cidrBlockAssociationSet").start("item")
                    .leaf("cidrBlock", s.subnetCidr).leaf("associationId", "vpc-cidr-assoc-0" + Ec2Service.digest(s.vpcId))
                    .start("cidrBlockState").leaf("state", "associated").end().end().end()
                    .leaf("dhcpOptionsId", "dopt-0" + Ec2Service.digest("dopt " + s.vpcId))
                    .leaf("instanceTenancy", "default").leaf("isDefault", "true").start("tagSet").end().end();
        }
        return x.finish();
    }

    String describeSubnets(QueryRequest r) {
        List<String> ids = r.list("SubnetId");
        for (String id : ids) {
            if (!id.equals(s.subnetId)) {
                throw new Ec2ApiException("InvalidSubnetID.NotFound", "The subnet ID '" + id + "' does not exist");
            }
        }
        boolean match = Ec2Filter.all(r.filters(), SUBNET_FILTERS, Map.of("subnet-id", List.of(s.subnetId),
                "vpc-id", List.of(s.vpcId), "availability-zone", List.of(s.availabilityZone()),
                "default-for-az", List.of("true"), "state", List.of("available"), "cidr-block", List.of(s.subnetCidr),
                "owner-id", List.of(Ec2Ids.ACCOUNT)), Map.of());
        long used = s.state.instances.values().stream().filter(i -> !"terminated".equals(i.state)).count();
        XmlWriter x = new XmlWriter().root("DescribeSubnetsResponse").leaf("requestId", "%REQUEST_ID%").start("subnetSet");
        if (match) {
            x.start("item").leaf("subnetId", s.subnetId).leaf("subnetArn", "arn:aws:ec2:" + s.options.region() + ":"
                            + Ec2Ids.ACCOUNT + ":subnet/" + s.subnetId)
                    .leaf("state", "available").leaf("ownerId", Ec2Ids.ACCOUNT).leaf("vpcId", s.vpcId)
                    .leaf("cidrBlock", s.subnetCidr).leaf("availableIpAddressCount", 251 - used)
                    .leaf("availabilityZone", s.availabilityZone()).leaf("availabilityZoneId", zoneId())
                    .leaf("defaultForAz", "true").leaf("mapPublicIpOnLaunch", "true")
                    .leaf("assignIpv6AddressOnCreation", "false").start("tagSet").end().end();
        }
        return x.finish();
    }

    String createTags(QueryRequest r) {
        List<String> ids = r.list("ResourceId");
        if (ids.isEmpty()) {
            throw Ec2ApiException.missing("ResourceId");
        }
        Map<String, String> tags = r.tags("Tag");
        if (tags.isEmpty()) {
            throw Ec2ApiException.missing("Tag");
        }
        for (String id : ids) {
            tagsOf(id);
        }
        ids.forEach(id -> tagsOf(id).putAll(tags));
        s.save();
        return new XmlWriter().root("CreateTagsResponse").leaf("requestId", "%REQUEST_ID%").leaf("return", "true").finish();
    }

    private Map<String, String> tagsOf(String id) {
        Map<String, String> tags = null;
        String code;
        if (id.startsWith("i-")) {
            Ec2State.Instance i = s.state.instances.get(id);
            tags = i == null ? null : i.tags;
            code = "InvalidInstanceID.NotFound";
        } else if (id.startsWith("vol-")) {
            Ec2State.Volume v = s.state.volumes.get(id);
            tags = v == null ? null : v.tags;
            code = "InvalidVolume.NotFound";
        } else if (id.startsWith("sg-")) {
            Ec2State.SecurityGroup g = s.state.securityGroups.get(id);
            tags = g == null ? null : g.tags;
            code = "InvalidGroup.NotFound";
        } else if (id.startsWith("key-")) {
            tags = s.state.keyPairs.values().stream().filter(k -> k.keyPairId.equals(id)).map(k -> k.tags)
                    .findFirst().orElse(null);
            code = "InvalidKeyPair.NotFound";
        } else {
            throw new Ec2ApiException("InvalidID", "The ID '" + id + "' is not valid");
        }
        if (tags == null) {
            throw new Ec2ApiException(code, "The ID '" + id + "' does not exist");
        }
        return tags;
    }

    static void tagSet(XmlWriter x, Map<String, String> tags) {
        x.start("tagSet");
        tags.forEach((k, v) -> x.start("item").leaf("key", k).leaf("value", v).end());
        x.end();
    }
}
