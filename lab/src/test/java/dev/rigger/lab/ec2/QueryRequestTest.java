package dev.rigger.lab.ec2;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryRequestTest {
    @Test
    void readsTheMemberListsOfTheEc2QueryProtocol() {
        QueryRequest r = QueryRequest.parse("Action=RunInstances&Version=2016-11-15&MinCount=1"
                + "&SecurityGroupId.2=sg-2&SecurityGroupId.1=sg-1"
                + "&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=rigger%3Acluster"
                + "&TagSpecification.1.Tag.1.Value=c1&TagSpecification.2.ResourceType=volume"
                + "&TagSpecification.2.Tag.1.Key=Name&TagSpecification.2.Tag.1.Value=data"
                + "&Filter.1.Name=tag%3AName&Filter.1.Value.1=a*&Filter.1.Value.2=b");
        assertThat(r.action()).isEqualTo("RunInstances");
        assertThat(r.integer("MinCount")).contains(1);
        assertThat(r.list("SecurityGroupId")).containsExactly("sg-1", "sg-2");
        assertThat(r.tagsFor("instance")).isEqualTo(Map.of("rigger:cluster", "c1"));
        assertThat(r.tagsFor("volume")).isEqualTo(Map.of("Name", "data"));
        assertThat(r.filters()).containsExactly(new Ec2Filter("tag:Name", List.of("a*", "b")));
    }

    @Test
    void refusesAMissingParameterWithEc2sCode() {
        assertThatThrownBy(() -> QueryRequest.parse("Action=CreateVolume").require("AvailabilityZone"))
                .isInstanceOfSatisfying(Ec2ApiException.class, e -> assertThat(e.code()).isEqualTo("MissingParameter"));
    }

    @Test
    void filtersMatchWildcardsTagsAndRefuseUnknownNames() {
        Map<String, List<String>> fields = Map.of("name", List.of("ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-1"));
        Set<String> known = Set.of("name");
        assertThat(Ec2Filter.all(List.of(new Ec2Filter("name", List.of("ubuntu/*jammy-22.04-amd64-server-?"))), known,
                fields, Map.of())).isTrue();
        assertThat(Ec2Filter.all(List.of(new Ec2Filter("name", List.of("*focal*"))), known, fields, Map.of())).isFalse();
        assertThat(Ec2Filter.all(List.of(new Ec2Filter("tag:rigger:node", List.of("node1"))), known, fields,
                Map.of("rigger:node", "node1"))).isTrue();
        assertThat(Ec2Filter.all(List.of(new Ec2Filter("tag-key", List.of("rigger:*"))), known, fields,
                Map.of("other", "x"))).isFalse();
        assertThatThrownBy(() -> Ec2Filter.all(List.of(new Ec2Filter("colour", List.of("red"))), known, fields, Map.of()))
                .isInstanceOfSatisfying(Ec2ApiException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"));
    }

    @Test
    void pagesCarryAnOpaqueTokenToTheNextPage() {
        List<Integer> all = List.of(1, 2, 3, 4, 5, 6, 7);
        Page<Integer> first = Page.of(all, 5, null);
        assertThat(first.items()).containsExactly(1, 2, 3, 4, 5);
        Page<Integer> second = Page.of(all, 5, first.nextToken());
        assertThat(second.items()).containsExactly(6, 7);
        assertThat(second.nextToken()).isNull();
        assertThatThrownBy(() -> Page.of(all, 5, "garbage!"))
                .isInstanceOfSatisfying(Ec2ApiException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"));
    }

    @Test
    void throttlesEveryNthCallForARate() {
        Ec2Faults faults = new Ec2Faults();
        faults.set(0.25, 1, null);
        assertThat(List.of(faults.throttleThisCall(), faults.throttleThisCall(), faults.throttleThisCall(),
                faults.throttleThisCall())).containsExactly(false, false, false, true);
        assertThat(faults.takeCapacityFailure()).isTrue();
        assertThat(faults.takeCapacityFailure()).isFalse();
        faults.reset();
        assertThat(faults.throttleThisCall()).isFalse();
        assertThat(Devices.inside("/dev/sdf")).isEqualTo("/dev/xvdf");
        assertThat(Devices.inside("/dev/xvdg")).isEqualTo("/dev/xvdg");
    }
}
