package io.tracemetrics.local.flink;

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

  /** {@code /jobs/<id>}: the job's state and the state of each of its vertices, by vertex name. */
  static JobDetails job(String body) {
    JsonNode root = parse(body);
    Map<String, String> vertices = new LinkedHashMap<>();
    for (JsonNode vertex : root.path("vertices")) {
      vertices.put(vertex.path("name").asText(), vertex.path("status").asText());
    }
    return new JobDetails(JobStatus.valueOf(root.path("state").asText()), vertices);
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

  /** A job's state and its vertices' states (vertex name → {@code RUNNING}, {@code SCHEDULED}, ...). */
  record JobDetails(JobStatus status, Map<String, String> vertices) {

    /** The job and every vertex run: what a test that sends records needs before it sends them. */
    boolean allRunning() {
      return status == JobStatus.RUNNING
          && !vertices.isEmpty()
          && vertices.values().stream().allMatch("RUNNING"::equals);
    }
  }
}
