package io.df2redis.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedisTargetTest {

    @Test
    void plainUrlWithUserAndPassword() {
        RedisTarget t = RedisTarget.parse("redis://writer:s3cr%40t+x@10.0.0.5:7000");
        assertThat(t.seed()).isEqualTo(new NodeAddress("10.0.0.5", 7000));
        assertThat(t.user()).isEqualTo("writer");
        assertThat(t.password()).isEqualTo("s3cr@t+x");
        assertThat(t.tlsEnabled()).isFalse();
        assertThat(t.mode()).isEqualTo(RedisTarget.Mode.AUTO);
        assertThat(t.toString()).doesNotContain("s3cr").isEqualTo("redis://writer@10.0.0.5:7000");
    }

    @Test
    void defaultUserPasswordDefaultPortAndTls() {
        RedisTarget t = RedisTarget.parse("rediss://:pw@redis.example");
        assertThat(t.seed()).isEqualTo(new NodeAddress("redis.example", 6379));
        assertThat(t.user()).isNull();
        assertThat(t.password()).isEqualTo("pw");
        assertThat(t.tlsEnabled()).isTrue();
        assertThat(t.toString()).isEqualTo("rediss://:***@redis.example:6379");
        assertThat(t.withMode(RedisTarget.Mode.CLUSTER).mode()).isEqualTo(RedisTarget.Mode.CLUSTER);
    }

    @Test
    void badUrlsAreRefusedWithTheReasonAndWithoutThePassword() {
        assertThatThrownBy(() -> RedisTarget.parse("http://h:1")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redis://");
        assertThatThrownBy(() -> RedisTarget.parse("redis://:topsecret@h:1/3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("path").hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> RedisTarget.parse("redis://")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisTarget.parse("redis://u:p@ss@h:1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("p@ss").hasMessageNotContaining(":p");
    }

    @Test
    void redirectionAddresses() {
        assertThat(NodeAddress.parse("127.0.0.1:7001")).isEqualTo(new NodeAddress("127.0.0.1", 7001));
        assertThat(NodeAddress.parse("[::1]:7001")).isEqualTo(new NodeAddress("::1", 7001));
        assertThat(new NodeAddress("::1", 7001).toString()).isEqualTo("[::1]:7001");
        var moved = new io.df2redis.resp.RespReply.Error("MOVED 3999 :7002");
        assertThat(ReplyKind.redirectTarget(moved, new NodeAddress("10.1.1.1", 7000))).isEqualTo(new NodeAddress("10.1.1.1", 7002));
        assertThat(ReplyKind.of(moved)).isEqualTo(ReplyKind.MOVED);
        assertThat(ReplyKind.of(new io.df2redis.resp.RespReply.Error("ASK 1 h:2"))).isEqualTo(ReplyKind.ASK);
        assertThat(ReplyKind.of(new io.df2redis.resp.RespReply.Error("LOADING Redis is loading"))).isEqualTo(ReplyKind.TRANSIENT);
        assertThat(ReplyKind.of(new io.df2redis.resp.RespReply.Error("CLUSTERDOWN The cluster is down"))).isEqualTo(ReplyKind.TRANSIENT_REROUTE);
        assertThat(ReplyKind.of(new io.df2redis.resp.RespReply.Error("WRONGTYPE Operation against a key"))).isEqualTo(ReplyKind.REFUSED);
    }

    @Test
    void rdbVersionTable() {
        assertThat(TargetCapabilities.rdbVersionForServer("7.0.15")).isEqualTo(10);
        assertThat(TargetCapabilities.rdbVersionForServer("7.2.4")).isEqualTo(11);
        assertThat(TargetCapabilities.rdbVersionForServer("7.4.0")).isEqualTo(12);
        assertThat(TargetCapabilities.rdbVersionForServer("8.2.1")).isEqualTo(12);
        assertThat(TargetCapabilities.rdbVersionForServer("8.6.0")).isEqualTo(13);
        assertThat(TargetCapabilities.rdbVersionForServer("6.2.14")).isEqualTo(9);
        TargetCapabilities c = new TargetCapabilities("7.4.2", false, 12, true, java.util.List.of(), false, false, true, 16);
        assertThat(c.atLeast(7, 4)).isTrue();
        assertThat(c.atLeast(7, 5)).isFalse();
        assertThat(c.atLeast(6, 9)).isTrue();
    }
}
