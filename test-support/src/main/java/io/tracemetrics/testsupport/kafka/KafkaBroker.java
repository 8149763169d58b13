package io.tracemetrics.testsupport.kafka;

import static java.util.Objects.requireNonNull;

import io.tracemetrics.testsupport.FreePorts;
import io.tracemetrics.testsupport.process.ChildProcess;
import io.tracemetrics.testsupport.process.WorkDir;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker (KRaft, broker and controller in one node) in a child JVM on 127.0.0.1, so a test can
 * kill it like a crashed server and restart it on the same ports and data.
 *
 * <p>The child runs {@code kafka.Kafka} from this JVM's class path; its output goes to {@code broker.log} in
 * the broker's temporary directory. {@link #start()} returns once an admin client sees the node.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private final int port;
  private final Duration startTimeout;
  private final int maxHeapMb;
  private final boolean forLoad;
  private final WorkDir workDir;
  private final Path propertiesFile;
  private ChildProcess process;

  private KafkaBroker(int port, Duration startTimeout, int maxHeapMb, boolean forLoad, WorkDir workDir,
      Path propertiesFile) {
    this.port = port;
    this.startTimeout = startTimeout;
    this.maxHeapMb = maxHeapMb;
    this.forLoad = forLoad;
    this.workDir = workDir;
    this.propertiesFile = propertiesFile;
  }

  /** Starts a broker with every default: free ports, 60 s to get ready. */
  public static KafkaBroker start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The broker's temporary directory: data in {@code data/}, output in {@code broker.log}. */
  public Path workDir() {
    return workDir.path();
  }

  /** Creates a topic with replication factor 1; an existing topic of that name is left as it is. */
  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, Map.of());
  }

  /** The same, with topic configs ({@code max.message.bytes}, ...). */
  public void createTopic(String name, int partitions, Map<String, String> configs) {
    requireNonNull(name, "name");
    try (Admin admin = admin(ADMIN_TIMEOUT)) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
          .all()
          .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      awaitLeaders(admin, name);
      LOG.info("Created topic {} with {} partitions on {}", name, partitions, bootstrapServers());
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + name, e.getCause());
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("cannot create topic " + name + " within " + ADMIN_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + name, e);
    }
  }

  /**
   * Until the broker's metadata shows a leader for every partition: a producer writing before that is
   * answered NOT_LEADER, and an idempotent one can then stall on out-of-order sequence numbers.
   */
  private static void awaitLeaders(Admin admin, String topic)
      throws ExecutionException, InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
    while (true) {
      try {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
            .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
        if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
          return;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
        // Created, but not in the broker's metadata yet.
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("no leader for every partition of " + topic);
      }
      Thread.sleep(20);
    }
  }

  /** The broker process's id (for reading its CPU time); the latest one after a {@link #restart()}. */
  public synchronized long pid() {
    return process.pid();
  }

  /** Whether the broker's process is running. */
  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Kills the process with SIGKILL, as a crash would; the data directory stays for {@link #restart()}. */
  public synchronized void kill() {
    if (process != null && process.isAlive()) {
      process.kill();
      LOG.info("Killed Kafka broker {} (pid {})", bootstrapServers(), process.pid());
    }
  }

  /** Kills the broker if it runs, then starts it again on the same ports and data and waits until ready. */
  public synchronized void restart() {
    kill();
    launch();
  }

  /** Kills the broker and deletes its directory: the data is thrown away, so no graceful shutdown. */
  @Override
  public synchronized void close() {
    try {
      kill();
    } finally {
      workDir.close();
    }
  }

  private void launch() {
    List<String> command = ChildJvm.command(maxHeapMb, forLoad,
        workDir.write("log4j2.properties", ChildJvm.LOG_CONFIG), propertiesFile);
    process = ChildProcess.start("Kafka broker " + bootstrapServers(), command, workDir.resolve("broker.log"));
    try (Admin admin = admin(Duration.ofSeconds(2))) {
      // The port check first: the admin client logs a warning for every refused connection.
      process.awaitReady(() -> accepts(port) && seesNode(admin), startTimeout,
          "the broker to answer describeCluster");
    }
    LOG.info("Kafka broker ready at {} (pid {})", bootstrapServers(), process.pid());
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean seesNode(Admin admin) {
    try {
      return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Admin admin(Duration timeout) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 5_000));
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    return Admin.create(props);
  }

  /** Runs a broker until the JVM is stopped, for scripts: {@code KafkaBroker [port]}. */
  public static void main(String[] args) throws InterruptedException {
    Builder builder = builder();
    if (args.length > 0) {
      builder.port(Integer.parseInt(args[0]));
    }
    KafkaBroker broker = builder.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      broker.close();
      stopped.countDown();
    }, "kafka-broker-stop"));
    System.out.println("Kafka broker at " + broker.bootstrapServers() + ", Ctrl-C to stop");
    stopped.await();
  }

  /** Options of a {@link KafkaBroker}; every one has a default. */
  public static final class Builder {
    private int port;
    private int controllerPort;
    private Duration startTimeout = Duration.ofSeconds(60);
    private int maxHeapMb = 512;
    private boolean forLoad;
    private Path parentDir = Path.of(System.getProperty("java.io.tmpdir"));
    private final Map<String, String> overrides = new LinkedHashMap<>();

    private Builder() {}

    /** Broker (client) port on 127.0.0.1. Default 0: a free ephemeral port. */
    public Builder port(int port) {
      this.port = checkPort(port);
      return this;
    }

    /** KRaft controller port on 127.0.0.1. Default 0: a free ephemeral port. */
    public Builder controllerPort(int controllerPort) {
      this.controllerPort = checkPort(controllerPort);
      return this;
    }

    /** How long a start or restart may take until the broker answers. Default 60 s. */
    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = requireNonNull(startTimeout, "startTimeout");
      return this;
    }

    /** The child JVM's {@code -Xmx} in MiB. Default 512. */
    public Builder maxHeapMb(int maxHeapMb) {
      if (maxHeapMb < 64) {
        throw new IllegalArgumentException("maxHeapMb below 64: " + maxHeapMb);
      }
      this.maxHeapMb = maxHeapMb;
      return this;
    }

    /**
     * Runs the broker's JVM as a production broker runs (G1, the optimizing compiler, the whole heap from
     * the start), for load harnesses. Default: Serial GC and C1 only, which start faster and suit tests;
     * under sustained load they cost the broker about 40% more CPU per byte produced.
     */
    public Builder forLoad() {
      this.forLoad = true;
      return this;
    }

    /**
     * Where the broker's temporary directory (data, config, log) is created, e.g. a tmpfs so that the
     * machine's disk does not take part in a measurement. Default {@code java.io.tmpdir}.
     */
    public Builder parentDirectory(Path parentDir) {
      this.parentDir = requireNonNull(parentDir, "parentDir");
      return this;
    }

    /** Sets or overrides one line of {@code server.properties}. Default: none. */
    public Builder property(String key, String value) {
      overrides.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    /** Formats the storage, starts the child JVM and waits until the broker answers. */
    public KafkaBroker start() {
      int brokerPort = port == 0 ? FreePorts.pick() : port;
      int ctrlPort = controllerPort == 0 ? FreePorts.pick() : controllerPort;
      WorkDir workDir = WorkDir.create("kafka-broker", parentDir);
      try {
        Map<String, String> props = BrokerProperties.of(brokerPort, ctrlPort, workDir.resolve("data"), overrides);
        Path file = workDir.write("server.properties", BrokerProperties.render(props));
        ChildJvm.formatStorage(file);
        KafkaBroker broker = new KafkaBroker(brokerPort, startTimeout, maxHeapMb, forLoad, workDir, file);
        broker.launch();
        return broker;
      } catch (RuntimeException e) {
        workDir.close();
        throw e;
      }
    }

    private static int checkPort(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      return port;
    }
  }
}
