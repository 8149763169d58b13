package io.tracemetrics.testsupport.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestJsonTest {

  private static final String ID = "e2f600928e9a0f96663d53d735a249bb";

  @Test
  void overviewCountsTaskManagersAndSlots() {
    RestJson.Overview overview = RestJson.overview(
        "{\"taskmanagers\":1,\"slots-total\":2,\"slots-available\":2,\"jobs-running\":0,\"flink-version\":\"2.2.0\"}");

    assertThat(overview).isEqualTo(new RestJson.Overview(1, 2));
  }

  @ParameterizedTest(name = "job {0}, vertices {1} and {2}: running = {3}")
  @CsvSource({
      "RUNNING,   RUNNING,     RUNNING,   true",
      "RUNNING,   RUNNING,     SCHEDULED, false",
      "RUNNING,   INITIALIZING, RUNNING,  false",
      "CREATED,   CREATED,     CREATED,   false",
      "CANCELED,  CANCELED,    CANCELED,  false",
  })
  void jobRunsWhenItAndAllItsVerticesRun(String job, String source, String sink, boolean running) {
    String body = "{\"jid\":\"" + ID + "\",\"state\":\"" + job + "\",\"vertices\":["
        + "{\"id\":\"a\",\"name\":\"Source: spans-source\",\"status\":\"" + source + "\"},"
        + "{\"id\":\"b\",\"name\":\"RED per series -> remote write: Writer\",\"status\":\"" + sink + "\"}]}";

    FlinkRest.JobDetails details = RestJson.job(body);

    assertThat(details.status()).isEqualTo(JobStatus.valueOf(job));
    assertThat(details.allRunning()).isEqualTo(running);
  }

  @Test
  void jobWithoutVerticesIsNotRunning() {
    assertThat(RestJson.job("{\"state\":\"RUNNING\",\"vertices\":[]}").allRunning()).isFalse();
  }

  @Test
  void jobIdIsReadFromTheClientsOutput() {
    String output = "12:00:01.000 INFO  [main] CliFrontend - Loading FallbackYarnSessionCli\n"
        + "Job has been submitted with JobID " + ID + "\n";

    assertThat(RestJson.submittedJobId(output)).contains(JobID.fromHexString(ID));
    assertThat(RestJson.submittedJobId("The program finished with the following exception:")).isEmpty();
  }

  @Test
  void jobListKeepsTheClustersOrder() {
    String body = "{\"jobs\":[{\"jid\":\"" + ID + "\",\"state\":\"RUNNING\"},"
        + "{\"jid\":\"00000000000000000000000000000001\",\"state\":\"CANCELED\"}]}";

    assertThat(RestJson.jobIds(body))
        .containsExactly(JobID.fromHexString(ID), JobID.fromHexString("00000000000000000000000000000001"));
  }

  @Test
  void newestExceptionIsTheFirstHistoryEntry() {
    String body = "{\"exceptionHistory\":{\"entries\":[{\"stacktrace\":\"java.lang.IllegalStateException: newest\"},"
        + "{\"stacktrace\":\"older\"}]}}";

    assertThat(RestJson.newestException(body)).isEqualTo("java.lang.IllegalStateException: newest");
    assertThat(RestJson.newestException("{\"exceptionHistory\":{\"entries\":[]}}")).contains("no exception");
  }

  @Test
  void stopRequestNamesTheDirectoryAndDoesNotDrain() {
    assertThat(RestJson.stopRequest("file:/tmp/save \"points\""))
        .isEqualTo("{\"targetDirectory\":\"file:/tmp/save \\\"points\\\"\",\"drain\":false}");
  }

  @Test
  void triggerIdIsTheRequestId() {
    assertThat(RestJson.triggerId("{\"request-id\":\"7d4c\"}")).isEqualTo("7d4c");
    assertThatThrownBy(() -> RestJson.triggerId("{\"errors\":[\"no\"]}")).hasMessageContaining("errors");
  }

  @Test
  void savepointIsInProgressUntilCompletedWithALocationOrACause() {
    assertThat(RestJson.savepoint("{\"status\":{\"id\":\"IN_PROGRESS\"},\"operation\":null}").completed())
        .isFalse();
    assertThat(RestJson.savepoint("{\"status\":{\"id\":\"COMPLETED\"},"
        + "\"operation\":{\"location\":\"file:/tmp/sp/savepoint-e2f600-1\"}}"))
        .isEqualTo(new RestJson.SavepointStatus(true, "file:/tmp/sp/savepoint-e2f600-1", null));
    RestJson.SavepointStatus failed = RestJson.savepoint("{\"status\":{\"id\":\"COMPLETED\"},"
        + "\"operation\":{\"failure-cause\":{\"class\":\"x\",\"stack-trace\":\"CheckpointException: not all"
        + " required tasks are currently running\"}}}");
    assertThat(failed.location()).isNull();
    assertThat(failed.failure()).contains("not all required tasks");
  }

  @Test
  void anAnswerThatIsNotJsonFailsWithTheAnswer() {
    assertThatThrownBy(() -> RestJson.overview("<html>502</html>")).hasMessageContaining("<html>502</html>");
  }
}
