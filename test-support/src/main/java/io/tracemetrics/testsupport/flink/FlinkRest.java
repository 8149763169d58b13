package io.tracemetrics.testsupport.flink;

import io.tracemetrics.testsupport.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;

/**
 * The calls of a jobmanager's REST API the tests, the demo and {@link FlinkCluster} make: the one Flink REST
 * client of the project, for a standalone cluster and for a MiniCluster's REST endpoint alike.
 */
public final class FlinkRest {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private final String baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  /** @param baseUrl the REST endpoint, e.g. {@code http://127.0.0.1:8081} */
  public FlinkRest(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** A job's state and its vertices', by vertex name ({@code RUNNING}, {@code SCHEDULED}, ...). */
  public record JobDetails(JobStatus status, Map<String, String> vertices, Map<String, String> vertexIds) {

    /** The job and every vertex run: what a test that sends records needs before it sends them. */
    public boolean allRunning() {
      return status == JobStatus.RUNNING
          && !vertices.isEmpty()
          && vertices.values().stream().allMatch("RUNNING"::equals);
    }
  }

  /** Completed checkpoints, and restores from one (a restart after a failure). */
  public record Checkpoints(long completed, long restored) {}

  /** Whether {@code taskManagers} have registered with {@code slots} in all; false while nothing listens. */
  public boolean offers(int taskManagers, int slots) {
    Optional<String> body = tryGet("/overview");
    if (body.isEmpty()) {
      return false;
    }
    RestJson.Overview overview = RestJson.overview(body.get());
    return overview.taskManagers() >= taskManagers && overview.slots() >= slots;
  }

  public JobDetails job(JobID id) {
    return RestJson.job(get("/jobs/" + id));
  }

  /** The job's details, or empty while the endpoint does not answer or does not know the job yet. */
  public Optional<JobDetails> tryJob(JobID id) {
    return tryGet("/jobs/" + id).map(RestJson::job);
  }

  public List<JobID> jobIds() {
    return RestJson.jobIds(get("/jobs/overview"));
  }

  public Checkpoints checkpoints(JobID id) {
    return RestJson.checkpoints(get("/jobs/" + id + "/checkpoints"));
  }

  /** A job-level metric ({@code numRestarts}, ...); fails when the job has no such metric. */
  public double jobMetric(JobID id, String name) {
    Double value = RestJson.metricValues(get("/jobs/" + id + "/metrics?get=" + name)).get(name);
    if (value == null) {
      throw new IllegalStateException("job " + id + " has no metric " + name);
    }
    return value;
  }

  /**
   * Subtask metrics summed over every subtask of every vertex, by metric id, for the ids {@code wanted}
   * accepts (e.g. an operator's counters, whose ids start with {@code <operator>.}).
   */
  public Map<String, Double> subtaskMetricSums(JobID id, Predicate<String> wanted) {
    Map<String, Double> sums = new TreeMap<>();
    for (String vertex : job(id).vertexIds().values()) {
      String path = "/jobs/" + id + "/vertices/" + vertex + "/subtasks/metrics";
      List<String> ids = RestJson.metricIds(get(path)).stream().filter(wanted).toList();
      if (!ids.isEmpty()) {
        RestJson.metricValues(get(path + "?get=" + String.join(",", ids))).forEach((name, sum) ->
            sums.merge(name, sum, Double::sum));
      }
    }
    return sums;
  }

  public String newestException(JobID id) {
    return tryGet("/jobs/" + id + "/exceptions").map(RestJson::newestException).orElse("(exceptions unavailable)");
  }

  /** Asks the jobmanager to cancel the job; it answers 202 at once and cancels in the background. */
  public void cancel(JobID id) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/jobs/" + id + "?mode=cancel"))
        .timeout(REQUEST_TIMEOUT)
        .method("PATCH", HttpRequest.BodyPublishers.noBody())
        .build();
    HttpResponse<String> response = send(request);
    if (response.statusCode() != 202) {
      throw new IllegalStateException("cancel of job " + id + " answered " + response.statusCode() + ": "
          + response.body());
    }
  }

  /**
   * Stops the job with a savepoint ({@code POST /jobs/<id>/stop}, no drain: the job's windows stay in the
   * savepoint instead of being flushed) and waits until the savepoint is written.
   *
   * @param targetDirectory where the savepoint goes: a path or URI the jobmanager can write
   * @return the savepoint's location, as a restore ({@code execution.state-recovery.path}) takes it
   * @throws IllegalStateException when the stop is refused, the savepoint fails (with Flink's cause) or
   *     {@code timeout} passes first
   */
  public String stopWithSavepoint(JobID id, String targetDirectory, Duration timeout) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/jobs/" + id + "/stop"))
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(RestJson.stopRequest(targetDirectory)))
        .build();
    HttpResponse<String> response = send(request);
    if (response.statusCode() != 202) {
      throw new IllegalStateException("stop-with-savepoint of job " + id + " answered " + response.statusCode()
          + ": " + response.body());
    }
    String path = "/jobs/" + id + "/savepoints/" + RestJson.triggerId(response.body());
    RestJson.SavepointStatus status = Await.poll(() -> RestJson.savepoint(get(path)),
        RestJson.SavepointStatus::completed, timeout, Duration.ofMillis(200));
    if (!status.completed()) {
      throw new IllegalStateException("stop-with-savepoint of job " + id + " into " + targetDirectory
          + " did not complete within " + timeout);
    }
    if (status.location() == null) {
      throw new IllegalStateException("stop-with-savepoint of job " + id + " into " + targetDirectory
          + " failed: " + status.failure());
    }
    return status.location();
  }

  private String get(String path) {
    HttpResponse<String> response = send(request(path));
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + baseUrl + path + " answered " + response.statusCode() + ": "
          + response.body());
    }
    return response.body();
  }

  private Optional<String> tryGet(String path) {
    try {
      HttpResponse<String> response = http.send(request(path), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // not listening yet, or gone
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT).GET().build();
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + request.method() + " " + request.uri(), e);
    }
  }
}
