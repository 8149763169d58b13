package io.tracemetrics.testsupport.flink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;

/** Reads the answers of Flink's REST API and the output of {@code flink run}. */
final class RestJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** What the client prints once a detached job is accepted. */
  private static final Pattern SUBMITTED = Pattern.compile("Job has been submitted with JobID ([0-9a-f]{32})");
  private static final int MAX_STACK_CHARS = 3_000;

  private RestJson() {}

  /** {@code /overview}: how many taskmanagers registered and how many slots they offer in all. */
  static Overview overview(String body) {
    JsonNode root = parse(body);
    return new Overview(root.path("taskmanagers").asInt(0), root.path("slots-total").asInt(0));
  }

  /** {@code /jobs/<id>}: the job's state and, by vertex name, each vertex's id and state. */
  static FlinkRest.JobDetails job(String body) {
    JsonNode root = parse(body);
    Map<String, String> vertices = new LinkedHashMap<>();
    Map<String, String> vertexIds = new LinkedHashMap<>();
    for (JsonNode vertex : root.path("vertices")) {
      vertices.put(vertex.path("name").asText(), vertex.path("status").asText());
      vertexIds.put(vertex.path("name").asText(), vertex.path("id").asText());
    }
    return new FlinkRest.JobDetails(JobStatus.valueOf(root.path("state").asText()), vertices, vertexIds);
  }

  /** {@code /jobs/<id>/checkpoints}: how many completed, and how many times the job restored from one. */
  static FlinkRest.Checkpoints checkpoints(String body) {
    JsonNode counts = parse(body).path("counts");
    return new FlinkRest.Checkpoints(counts.path("completed").asLong(0), counts.path("restored").asLong(0));
  }

  /** A metrics list ({@code [{"id": ..}, ..]}): the ids. */
  static List<String> metricIds(String body) {
    List<String> ids = new ArrayList<>();
    parse(body).forEach(metric -> ids.add(metric.path("id").asText()));
    return ids;
  }

  /**
   * Metric values by id: {@code value} of a job or vertex metric, or {@code sum} of an aggregated subtask
   * metric; ids without a number are left out.
   */
  static Map<String, Double> metricValues(String body) {
    Map<String, Double> values = new LinkedHashMap<>();
    for (JsonNode metric : parse(body)) {
      JsonNode value = metric.has("sum") ? metric.path("sum") : metric.path("value");
      try {
        values.put(metric.path("id").asText(), Double.parseDouble(value.asText()));
      } catch (NumberFormatException e) {
        // not a number (a gauge of another kind): not a value a caller can sum
      }
    }
    return values;
  }

  /** {@code /jobs/overview}: the ids of every job the cluster knows, in its order. */
  static List<JobID> jobIds(String body) {
    List<JobID> ids = new ArrayList<>();
    for (JsonNode job : parse(body).path("jobs")) {
      ids.add(JobID.fromHexString(job.path("jid").asText()));
    }
    return ids;
  }

  /** {@code /jobs/<id>/exceptions}: the newest failure's stack trace, shortened, or a note that there is none. */
  static String newestException(String body) {
    JsonNode entries = parse(body).path("exceptionHistory").path("entries");
    if (!entries.isArray() || entries.isEmpty()) {
      return "(no exception recorded)";
    }
    String trace = entries.get(0).path("stacktrace").asText();
    return trace.length() <= MAX_STACK_CHARS ? trace : trace.substring(0, MAX_STACK_CHARS) + "...";
  }

  /** The body of {@code POST /jobs/<id>/stop}: a savepoint into {@code targetDirectory}, without draining. */
  static String stopRequest(String targetDirectory) {
    return MAPPER.createObjectNode().put("targetDirectory", targetDirectory).put("drain", false).toString();
  }

  /** The {@code request-id} of an asynchronous operation's trigger answer (a stop, a savepoint). */
  static String triggerId(String body) {
    String id = parse(body).path("request-id").asText("");
    if (id.isEmpty()) {
      throw new IllegalStateException("Flink's REST API answered a trigger without a request-id: " + body);
    }
    return id;
  }

  /**
   * {@code /jobs/<id>/savepoints/<trigger>}: still in progress, or completed with a location or with a
   * failure (its cause's stack trace, shortened).
   */
  static SavepointStatus savepoint(String body) {
    JsonNode root = parse(body);
    if (!"COMPLETED".equals(root.path("status").path("id").asText())) {
      return SavepointStatus.IN_PROGRESS;
    }
    JsonNode operation = root.path("operation");
    if (operation.hasNonNull("location")) {
      return new SavepointStatus(true, operation.path("location").asText(), null);
    }
    String cause = operation.path("failure-cause").path("stack-trace").asText(body);
    return new SavepointStatus(true, null,
        cause.length() <= MAX_STACK_CHARS ? cause : cause.substring(0, MAX_STACK_CHARS) + "...");
  }

  /** The job id {@code flink run -d} printed, if it printed one. */
  static Optional<JobID> submittedJobId(String cliOutput) {
    Matcher matcher = SUBMITTED.matcher(cliOutput);
    return matcher.find() ? Optional.of(JobID.fromHexString(matcher.group(1))) : Optional.empty();
  }

  private static JsonNode parse(String body) {
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Flink's REST API answered something that is not JSON: " + body, e);
    }
  }

  record Overview(int taskManagers, int slots) {}

  /** Where a savepoint operation is: done or not, and then either its location or its failure. */
  record SavepointStatus(boolean completed, String location, String failure) {
    static final SavepointStatus IN_PROGRESS = new SavepointStatus(false, null, null);
  }
}
