package io.tracemetrics.local.flink;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.JobID;

/** The few calls of the jobmanager's REST API a {@link FlinkCluster} makes. */
final class FlinkRest {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private final String baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  FlinkRest(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** Whether {@code taskManagers} have registered with {@code slots} in all; false while nothing listens. */
  boolean offers(int taskManagers, int slots) {
    Optional<String> body = tryGet("/overview");
    if (body.isEmpty()) {
      return false;
    }
    RestJson.Overview overview = RestJson.overview(body.get());
    return overview.taskManagers() >= taskManagers && overview.slots() >= slots;
  }

  RestJson.JobDetails job(JobID id) {
    return RestJson.job(get("/jobs/" + id));
  }

  List<JobID> jobIds() {
    return RestJson.jobIds(get("/jobs/overview"));
  }

  String newestException(JobID id) {
    return tryGet("/jobs/" + id + "/exceptions").map(RestJson::newestException).orElse("(exceptions unavailable)");
  }

  /** Asks the jobmanager to cancel the job; it answers 202 at once and cancels in the background. */
  void cancel(JobID id) {
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
