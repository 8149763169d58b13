package io.tracemetrics.gateway.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tracemetrics.gateway.http.HttpAnswer;
import io.tracemetrics.gateway.http.HttpService;
import io.tracemetrics.gateway.http.ReceivedRequest;
import io.tracemetrics.gateway.ingest.Outcome;
import io.tracemetrics.gateway.ingest.ScannedTraces;
import io.tracemetrics.gateway.ingest.TraceIngest;
import io.tracemetrics.gateway.ingest.TracesScanner;
import io.tracemetrics.gateway.metrics.GatewayMetrics;
import io.tracemetrics.gateway.metrics.RefusalLog;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * OTLP/HTTP {@code POST /v1/traces}. Does not wait for Kafka: the answer is completed by Kafka's
 * acknowledgement (or the ingest path's timeout), so neither a worker nor an I/O thread blocks while a
 * request is in flight. Uncompressed protobuf bodies up to {@link #IO_THREAD_MAX_BYTES} are scanned and
 * handed to the producer on the I/O thread that received them while the producer can take them without
 * waiting; JSON, gzip, larger bodies and every request while Kafka is not acknowledging go to the
 * worker pool.
 */
public final class HttpTraceReceiver implements HttpService {
  static final String PROTOCOL = "http";
  /** Largest body served on an I/O thread: its scan and compression hold that thread about a millisecond. */
  static final int IO_THREAD_MAX_BYTES = 1 << 20;

  private final TraceIngest ingest;
  private final GatewayMetrics metrics;
  private final RefusalLog refusals;
  private final ReceiverSettings settings;
  private final HttpAnswers answers;
  private final CorsPolicy cors;

  public HttpTraceReceiver(TraceIngest ingest, GatewayMetrics metrics, RefusalLog refusals,
      ReceiverSettings settings) {
    this.ingest = Objects.requireNonNull(ingest, "ingest");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.refusals = Objects.requireNonNull(refusals, "refusals");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.answers = new HttpAnswers(settings.retryAfterSeconds());
    this.cors = new CorsPolicy(settings.corsAllowedOrigins());
  }

  @Override
  public CompletableFuture<HttpAnswer> serve(ReceivedRequest request) {
    String origin = request.header("Origin");
    CompletableFuture<HttpAnswer> answer = cors.preflight(request.method(), origin,
            request.header("Access-Control-Request-Method"))
        .map(CompletableFuture::completedFuture)
        .orElseGet(() -> answer(request));
    return answer.thenApply(plain -> {
      HttpAnswer decorated = cors.decorate(plain, origin);
      metrics.requestAnswered(PROTOCOL, Integer.toString(decorated.status()));
      return decorated;
    });
  }

  @Override
  public boolean servesOnIoThread(ReceivedRequest request) {
    HttpRequestPolicy.Admission admission = admission(request);
    if (!admission.admitted() || request.bodyProblem() != ReceivedRequest.BodyProblem.NONE) {
      return true;   // an answer from the headers alone
    }
    int size = request.body().length;
    return admission.format() == BodyFormat.PROTOBUF && !admission.gzip() && size <= IO_THREAD_MAX_BYTES
        && ingest.exportsWithoutWaiting(size);
  }

  private HttpRequestPolicy.Admission admission(ReceivedRequest request) {
    return HttpRequestPolicy.admit(request.method(), request.path(), request.header("Content-Type"),
        request.header("Content-Encoding"), settings.auth().allows(request.header("Authorization")));
  }

  private CompletableFuture<HttpAnswer> answer(ReceivedRequest request) {
    HttpRequestPolicy.Admission admission = admission(request);
    if (!admission.admitted()) {
      return CompletableFuture.completedFuture(refusal(admission));
    }
    BodyFormat format = admission.format();
    switch (request.bodyProblem()) {
      case TOO_LARGE:
        return CompletableFuture.completedFuture(refused(413, "too_large",
            "body exceeds the limit of " + settings.maxMessageBytes() + " bytes", format));
      case OVER_BUDGET:
        return CompletableFuture.completedFuture(answers.retryable(refused(429, Outcome.MEMORY_LIMIT.reason(),
            "gateway is at its memory limit for bodies being received; retry later", format)));
      default:
        break;
    }
    Decoded decoded;
    try {
      decoded = decode(request.body(), admission.gzip(), format);
    } catch (RequestBody.TooLargeException e) {
      return CompletableFuture.completedFuture(refused(413, "too_large", e.getMessage(), format));
    } catch (RequestBody.MalformedException e) {
      return CompletableFuture.completedFuture(refused(400, "invalid", e.getMessage(), format));
    } catch (InvalidProtocolBufferException e) {
      return CompletableFuture.completedFuture(
          refused(400, "invalid", "undecodable " + format + " body: " + e.getMessage(), format));
    }
    JsonSchemaWalk.Report report = decoded.report();
    if (report.ignoredSomething() && decoded.traces().spanCount() == 0) {
      // Every span the body may have held was in ignored fields (a misspelled field, logs or metrics
      // sent to /v1/traces): a 200 would tell the sender its data is stored.
      metrics.spansRefused(PROTOCOL, "legacy_duplicate", report.legacyDuplicateSpans());
      return CompletableFuture.completedFuture(
          refused(400, "no_spans", "no spans accepted: " + report.message(), format));
    }
    // The ingest path has its own timeout; this bound only guards against a publisher that never answers.
    return ingest.export(PROTOCOL, decoded.traces())
        .completeOnTimeout(Outcome.KAFKA_UNAVAILABLE, settings.answerTimeout().toMillis() + 5_000,
            TimeUnit.MILLISECONDS)
        .thenApply(outcome -> outcome == Outcome.ACCEPTED && !report.isEmpty()
            ? answers.partialSuccess(report.unknownSpans(), report.message(), format)
            : answers.forOutcome(outcome, format));
  }

  /** A body ready for the ingest path, with what its JSON decoding transcoded or ignored. */
  private record Decoded(ScannedTraces traces, JsonSchemaWalk.Report report) {}

  private Decoded decode(byte[] raw, boolean gzip, BodyFormat format)
      throws RequestBody.TooLargeException, RequestBody.MalformedException, InvalidProtocolBufferException {
    byte[] body = gzip ? RequestBody.gunzip(raw, settings.maxMessageBytes()) : raw;
    if (format != BodyFormat.JSON) {
      return new Decoded(TracesScanner.scan(body), JsonSchemaWalk.Report.NONE);
    }
    // JSON is transcoded (the scan of its encoding is cheap next to the JSON parse); protobuf is only scanned.
    OtlpJson.Parsed parsed = OtlpJson.parse(body);
    count(parsed.report());
    return new Decoded(TracesScanner.scan(parsed.request().toByteArray()), parsed.report());
  }

  /** Counts (and logs, rate-limited) what the JSON decoding changed: no field is dropped unseen. */
  private void count(JsonSchemaWalk.Report report) {
    if (report.isEmpty()) {
      return;
    }
    report.transcoded().forEach(metrics::legacyFieldTranscoded);
    metrics.jsonFieldsIgnored("unknown_field", report.unknownFields());
    metrics.jsonFieldsIgnored("legacy_duplicate", report.legacyDuplicates());
    metrics.spansRefused(PROTOCOL, "unknown_json_field", report.unknownSpans());
    if (report.ignoredSomething()) {
      refusals.refused(PROTOCOL, "json_fields_ignored", report.message());
    }
  }

  private HttpAnswer refusal(HttpRequestPolicy.Admission admission) {
    String reason = switch (admission.status()) {
      case 401 -> "unauthenticated";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      default -> "unsupported_media_type";
    };
    HttpAnswer answer = refused(admission.status(), reason, admission.message(), admission.format());
    if (admission.status() == 405) {
      answer = answer.withHeader("Allow", "POST");
    } else if (admission.status() == 401) {
      answer = answer.withHeader("WWW-Authenticate", "Bearer");
    }
    return answer;
  }

  private HttpAnswer refused(int status, String reason, String message, BodyFormat format) {
    refusals.refused(PROTOCOL, reason, message);
    return HttpAnswers.error(status, message, format);
  }
}
