package dev.rigger.lab.ec2;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Key pairs (imported public keys, authorised for root on the instances launched with them) and security
 * groups. Ingress rules are recorded and described, but the lab network does not enforce them: every lab host
 * reaches every other on every port.
 */
final class AccessActions {
    private static final Set<String> KEY_FILTERS = Set.of("key-name", "key-pair-id", "fingerprint", "key-type");
    private static final Set<String> GROUP_FILTERS = Set.of("group-name", "group-id", "vpc-id", "description",
            "owner-id", "ip-permission.cidr", "ip-permission.from-port", "ip-permission.to-port",
            "ip-permission.protocol", "ip-permission.group-id");

    private final Ec2Service s;

    AccessActions(Ec2Service service) {
        this.s = service;
    }

    String importKeyPair(QueryRequest r) {
        String name = r.require("KeyName");
        String material = publicKeyText(r.require("PublicKeyMaterial"));
        if (s.state.keyPairs.containsKey(name)) {
            throw new Ec2ApiException("InvalidKeyPair.Duplicate", "The keypair already exists");
        }
        String[] fields = material.split("\\s+");
        if (fields.length < 2 || !(fields[0].equals("ssh-ed25519") || fields[0].equals("ssh-rsa"))) {
            throw new Ec2ApiException("InvalidKey.Format",
                    "Key is not in valid OpenSSH public key format (ssh-ed25519 or ssh-rsa)");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(fields[1]);
        } catch (IllegalArgumentException e) {
            throw new Ec2ApiException("InvalidKey.Format", "Key is not in valid OpenSSH public key format");
        }
        Ec2State.KeyPair k = new Ec2State.KeyPair();
        k.keyPairId = Ec2Ids.next("key");
        k.keyName = name;
        k.keyType = fields[0].equals("ssh-ed25519") ? "ed25519" : "rsa";
        k.fingerprint = fingerprint(k.keyType, blob);
        k.publicKey = fields[0] + " " + fields[1] + " " + name;
        k.createTime = Ec2Ids.now();
        k.tags.putAll(r.tagsFor("key-pair"));
        s.state.keyPairs.put(name, k);
        s.save();
        XmlWriter x = new XmlWriter().root("ImportKeyPairResponse").leaf("requestId", "%REQUEST_ID%")
                .leaf("keyFingerprint", k.fingerprint).leaf("keyName", k.keyName).leaf("keyPairId", k.keyPairId);
        CatalogActions.tagSet(x, k.tags);
        return x.finish();
    }

    /** The SDK sends the key file base64-encoded (a blob); a plain key line is taken as it is. */
    private static String publicKeyText(String material) {
        if (material.startsWith("ssh-")) {
            return material.strip();
        }
        try {
            return new String(Base64.getDecoder().decode(material.strip()), StandardCharsets.UTF_8).strip();
        } catch (IllegalArgumentException e) {
            throw new Ec2ApiException("InvalidKey.Format", "Key is not in valid OpenSSH public key format");
        }
    }

    /** As EC2 shows imported keys: SHA-256 base64 for ed25519, MD5 hex pairs for RSA (of the key blob here). */
    private static String fingerprint(String type, byte[] blob) {
        try {
            if (type.equals("ed25519")) {
                return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(blob));
            }
            return HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("MD5").digest(blob));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String describeKeyPairs(QueryRequest r) {
        List<String> names = r.list("KeyName");
        List<String> ids = r.list("KeyPairId");
        for (String name : names) {
            if (!s.state.keyPairs.containsKey(name)) {
                throw new Ec2ApiException("InvalidKeyPair.NotFound", "The key pair '" + name + "' does not exist");
            }
        }
        for (String id : ids) {
            if (s.state.keyPairs.values().stream().noneMatch(k -> k.keyPairId.equals(id))) {
                throw new Ec2ApiException("InvalidKeyPair.NotFound", "The key pair '" + id + "' does not exist");
            }
        }
        List<Ec2Filter> filters = r.filters();
        boolean withPublic = r.bool("IncludePublicKey", false);
        XmlWriter x = new XmlWriter().root("DescribeKeyPairsResponse").leaf("requestId", "%REQUEST_ID%").start("keySet");
        for (Ec2State.KeyPair k : s.state.keyPairs.values()) {
            if ((!names.isEmpty() && !names.contains(k.keyName)) || (!ids.isEmpty() && !ids.contains(k.keyPairId))
                    || !Ec2Filter.all(filters, KEY_FILTERS, Map.of("key-name", List.of(k.keyName),
                    "key-pair-id", List.of(k.keyPairId), "fingerprint", List.of(k.fingerprint),
                    "key-type", List.of(k.keyType)), k.tags)) {
                continue;
            }
            x.start("item").leaf("keyPairId", k.keyPairId).leaf("keyName", k.keyName)
                    .leaf("keyFingerprint", k.fingerprint).leaf("keyType", k.keyType);
            CatalogActions.tagSet(x, k.tags);
            if (withPublic) {
                x.leaf("publicKey", k.publicKey);
            }
            x.leaf("createTime", k.createTime).end();
        }
        return x.finish();
    }

    String deleteKeyPair(QueryRequest r) {
        String name = r.get("KeyName").orElse(null);
        String id = r.get("KeyPairId").orElse(null);
        if (name == null && id == null) {
            throw Ec2ApiException.missing("KeyName");
        }
        // like EC2: deleting a key pair that does not exist succeeds
        s.state.keyPairs.values().removeIf(k -> k.keyName.equals(name) || k.keyPairId.equals(id));
        s.save();
        return new XmlWriter().root("DeleteKeyPairResponse").leaf("requestId", "%REQUEST_ID%").leaf("return", "true")
                .finish();
    }

    String createSecurityGroup(QueryRequest r) {
        String name = r.require("GroupName");
        String description = r.require("GroupDescription");
        String vpc = r.get("VpcId").orElse(s.vpcId);
        if (!vpc.equals(s.vpcId)) {
            throw new Ec2ApiException("InvalidVpcID.NotFound", "The vpc ID '" + vpc + "' does not exist");
        }
        if (name.equals("default") || s.state.securityGroups.values().stream().anyMatch(g -> g.groupName.equals(name))) {
            throw new Ec2ApiException("InvalidGroup.Duplicate", "The security group '" + name + "' already exists for VPC '"
                    + vpc + "'");
        }
        Ec2State.SecurityGroup g = new Ec2State.SecurityGroup();
        g.groupId = Ec2Ids.next("sg");
        g.groupName = name;
        g.description = description;
        g.vpcId = vpc;
        g.tags.putAll(r.tagsFor("security-group"));
        s.state.securityGroups.put(g.groupId, g);
        s.save();
        XmlWriter x = new XmlWriter().root("CreateSecurityGroupResponse").leaf("requestId", "%REQUEST_ID%")
                .leaf("return", "true").leaf("groupId", g.groupId);
        CatalogActions.tagSet(x, g.tags);
        return x.finish();
    }

    String authorizeIngress(QueryRequest r) {
        Ec2State.SecurityGroup g = group(r);
        List<Ec2State.Rule> rules = new ArrayList<>();
        for (QueryRequest p : r.members("IpPermissions")) {
            String protocol = p.require("IpProtocol");
            Integer from = p.integer("FromPort").orElse(null);
            Integer to = p.integer("ToPort").orElse(null);
            for (QueryRequest range : p.members("IpRanges")) {
                rules.add(rule(protocol, from, to, range.require("CidrIp"), null, range.get("Description").orElse(null)));
            }
            for (QueryRequest pair : p.members("Groups")) {
                String source = pair.get("GroupId").orElseGet(() -> groupIdByName(pair.require("GroupName")));
                if (!s.state.securityGroups.containsKey(source)) {
                    throw new Ec2ApiException("InvalidGroup.NotFound", "The security group '" + source + "' does not exist");
                }
                rules.add(rule(protocol, from, to, null, source, pair.get("Description").orElse(null)));
            }
        }
        if (r.get("CidrIp").isPresent()) {
            rules.add(rule(r.get("IpProtocol").orElse("-1"), r.integer("FromPort").orElse(null),
                    r.integer("ToPort").orElse(null), r.require("CidrIp"), null, null));
        }
        if (rules.isEmpty()) {
            throw Ec2ApiException.missing("IpPermissions");
        }
        for (Ec2State.Rule rule : rules) {
            if (g.ingress.stream().anyMatch(rule::sameAs)) {
                throw new Ec2ApiException("InvalidPermission.Duplicate", "the specified rule \"peer: "
                        + (rule.cidr != null ? rule.cidr : rule.sourceGroupId) + ", " + rule.protocol.toUpperCase()
                        + ", from port: " + rule.fromPort + ", to port: " + rule.toPort + ", ALLOW\" already exists");
            }
        }
        g.ingress.addAll(rules);
        s.save();
        XmlWriter x = new XmlWriter().root("AuthorizeSecurityGroupIngressResponse").leaf("requestId", "%REQUEST_ID%")
                .leaf("return", "true").start("securityGroupRuleSet");
        for (Ec2State.Rule rule : rules) {
            x.start("item").leaf("securityGroupRuleId", rule.ruleId).leaf("groupId", g.groupId)
                    .leaf("groupOwnerId", Ec2Ids.ACCOUNT).leaf("isEgress", "false").leaf("ipProtocol", rule.protocol)
                    .leaf("fromPort", rule.fromPort).leaf("toPort", rule.toPort).leaf("cidrIpv4", rule.cidr)
                    .leaf("description", rule.description);
            if (rule.sourceGroupId != null) {
                x.start("referencedGroupInfo").leaf("groupId", rule.sourceGroupId).leaf("userId", Ec2Ids.ACCOUNT).end();
            }
            x.end();
        }
        return x.finish();
    }

    private static Ec2State.Rule rule(String protocol, Integer from, Integer to, String cidr, String source,
                                      String description) {
        Ec2State.Rule rule = new Ec2State.Rule();
        rule.ruleId = Ec2Ids.next("sgr");
        rule.protocol = protocol.equals("all") ? "-1" : protocol.toLowerCase();
        rule.fromPort = rule.protocol.equals("-1") ? null : from;
        rule.toPort = rule.protocol.equals("-1") ? null : to;
        rule.cidr = cidr;
        rule.sourceGroupId = source;
        rule.description = description;
        return rule;
    }

    String describeSecurityGroups(QueryRequest r) {
        List<String> ids = r.list("GroupId");
        List<String> names = r.list("GroupName");
        for (String id : ids) {
            if (!s.state.securityGroups.containsKey(id)) {
                throw new Ec2ApiException("InvalidGroup.NotFound", "The security group '" + id + "' does not exist");
            }
        }
        for (String name : names) {
            groupIdByName(name);
        }
        List<Ec2Filter> filters = r.filters();
        XmlWriter x = new XmlWriter().root("DescribeSecurityGroupsResponse").leaf("requestId", "%REQUEST_ID%")
                .start("securityGroupInfo");
        for (Ec2State.SecurityGroup g : s.state.securityGroups.values()) {
            if ((!ids.isEmpty() && !ids.contains(g.groupId)) || (!names.isEmpty() && !names.contains(g.groupName))
                    || !Ec2Filter.all(filters, GROUP_FILTERS, fields(g), g.tags)) {
                continue;
            }
            x.start("item").leaf("ownerId", Ec2Ids.ACCOUNT).leaf("groupId", g.groupId).leaf("groupName", g.groupName)
                    .leaf("groupDescription", g.description).leaf("vpcId", g.vpcId).start("ipPermissions");
            for (Ec2State.Rule rule : g.ingress) {
                x.start("item").leaf("ipProtocol", rule.protocol).leaf("fromPort", rule.fromPort).leaf("toPort", rule.toPort)
                        .start("groups");
                if (rule.sourceGroupId != null) {
                    x.start("item").leaf("userId", Ec2Ids.ACCOUNT).leaf("groupId", rule.sourceGroupId)
                            .leaf("description", rule.description).end();
                }
                x.end().start("ipRanges");
                if (rule.cidr != null) {
                    x.start("item").leaf("cidrIp", rule.cidr).leaf("description", rule.description).end();
                }
                x.end().start("ipv6Ranges").end().start("prefixListIds").end().end();
            }
            x.end().start("ipPermissionsEgress").start("item").leaf("ipProtocol", "-1").start("groups").end()
                    .start("ipRanges").start("item").leaf("cidrIp", "0.0.0.0/0").end().end()
                    .start("ipv6Ranges").end().start("prefixListIds").end().end().end();
            CatalogActions.tagSet(x, g.tags);
            x.end();
        }
        return x.finish();
    }

    private static Map<String, List<String>> fields(Ec2State.SecurityGroup g) {
        return Map.of("group-name", List.of(g.groupName), "group-id", List.of(g.groupId), "vpc-id", List.of(g.vpcId),
                "description", List.of(g.description), "owner-id", List.of(Ec2Ids.ACCOUNT),
                "ip-permission.cidr", g.ingress.stream().filter(x -> x.cidr != null).map(x -> x.cidr).toList(),
                "ip-permission.protocol", g.ingress.stream().map(x -> x.protocol).toList(),
                "ip-permission.from-port", g.ingress.stream().filter(x -> x.fromPort != null).map(x -> "" + x.fromPort).toList(),
                "ip-permission.to-port", g.ingress.stream().filter(x -> x.toPort != null).map(x -> "" + x.toPort).toList(),
                "ip-permission.group-id", g.ingress.stream().filter(x -> x.sourceGroupId != null).map(x -> x.sourceGroupId).toList());
    }

    String deleteSecurityGroup(QueryRequest r) {
        Ec2State.SecurityGroup g = group(r);
        boolean inUse = s.state.instances.values().stream()
                .anyMatch(i -> !"terminated".equals(i.state) && i.groupIds.contains(g.groupId));
        if (inUse) {
            throw new Ec2ApiException("DependencyViolation", "resource " + g.groupId + " has a dependent object");
        }
        boolean referenced = s.state.securityGroups.values().stream().filter(o -> o != g)
                .anyMatch(o -> o.ingress.stream().anyMatch(rule -> g.groupId.equals(rule.sourceGroupId)));
        if (referenced) {
            throw new Ec2ApiException("DependencyViolation", "resource " + g.groupId + " has a dependent object");
        }
        s.state.securityGroups.remove(g.groupId);
        s.save();
        return new XmlWriter().root("DeleteSecurityGroupResponse").leaf("requestId", "%REQUEST_ID%")
                .leaf("return", "true").leaf("groupId", g.groupId).finish();
    }

    private Ec2State.SecurityGroup group(QueryRequest r) {
        String id = r.get("GroupId").orElseGet(() -> groupIdByName(r.get("GroupName")
                .orElseThrow(() -> Ec2ApiException.missing("GroupId"))));
        Ec2State.SecurityGroup g = s.state.securityGroups.get(id);
        if (g == null) {
            throw new Ec2ApiException(id.startsWith("sg-") ? "InvalidGroup.NotFound" : "InvalidGroupId.Malformed",
                    "The security group '" + id + "' does not exist");
        }
        return g;
    }

    String groupIdByName(String name) {
        return s.state.securityGroups.values().stream().filter(g -> g.groupName.equals(name)).map(g -> g.groupId)
                .findFirst().orElseThrow(() -> new Ec2ApiException("InvalidGroup.NotFound",
                        "The security group '" + name + "' does not exist in default VPC '" + s.vpcId + "'"));
    }
}
