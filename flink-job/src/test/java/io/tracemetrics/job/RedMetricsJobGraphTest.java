package io.tracemetrics.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The job's shape: which operators share a task (chained: no serialization between them). */
class RedMetricsJobGraphTest {
  private static List<String> tasks(String... args) {
    JobOptions options = JobOptions.fromArgs(args, Map.of());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    RedMetricsJob.fromOptions(options).build(env);
    JobGraph graph = env.getStreamGraph().getJobGraph();
    List<String> names = new ArrayList<>();
    for (JobVertex vertex : graph.getVerticesSortedTopologicallyFromSources()) {
      names.add(vertex.getName());
    }
    return names;
  }

  @Test
  void spansAreSummedInTheSourcesTaskAndSeriesAreWrittenFromTheAggregatorsTask() {
    List<String> tasks = tasks();
    assertThat(tasks).hasSize(3);
    assertThat(tasks.get(0)).contains("spans-source").contains("counts per series and window");
    assertThat(tasks.get(1)).contains("series limit per service");
    assertThat(tasks.get(2)).contains("RED per series").contains("remote write");
  }

  @Test
  void withoutASeriesLimitThereIsOneShuffle() {
    assertThat(tasks("--series.max-per-service", "0")).hasSize(2);
  }

  @Test
  void eachRegionsSourceSumsInItsOwnTask() {
    List<String> tasks = tasks("--kafka.sources", "eu=kafka-eu:9092/otlp_spans;us=kafka-us:9092/otlp_spans");
    assertThat(tasks).hasSize(4);
    assertThat(tasks.subList(0, 2)).allSatisfy(task -> assertThat(task).contains("counts per series and window"));
  }
}
