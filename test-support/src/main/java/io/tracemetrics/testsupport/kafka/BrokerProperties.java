package io.tracemetrics.testsupport.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code server.properties} of a single-node KRaft broker: broker and controller in one process,
 * everything on 127.0.0.1, replication factors of 1 so consumer groups and transactions work on one node.
 */
final class BrokerProperties {

  static final int NODE_ID = 1;

  private BrokerProperties() {}

  static Map<String, String> of(int brokerPort, int controllerPort, Path logDir, Map<String, String> overrides) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(NODE_ID));
    props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    // A static voter set: the storage format then needs no --standalone and a restart finds the same quorum.
    props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    props.put("log.dirs", logDir.toString());
    props.put("num.partitions", "1");
    props.put("auto.create.topics.enable", "true");
    // Internal topics default to 3 replicas: on one node consumer groups and transactions would hang.
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    // After a kill the restarted broker cannot register until the dead one's session expired (default 9 s).
    // Shorter, but not so short that a starved JVM on a busy machine gets fenced.
    props.put("broker.session.timeout.ms", "4000");
    props.put("broker.heartbeat.interval.ms", "500");
    // The machine has two cores shared by everything a test runs.
    props.put("num.network.threads", "2");
    props.put("num.io.threads", "2");
    props.put("num.recovery.threads.per.data.dir", "1");
    props.put("background.threads", "2");
    props.putAll(overrides);
    return props;
  }

  static String render(Map<String, String> props) {
    return props.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("\n", "", "\n"));
  }
}
