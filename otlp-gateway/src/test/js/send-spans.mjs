// Exports N known spans to an OTLP endpoint with one of the OpenTelemetry JS exporters, in one export call,
// and exits non-zero when the export fails. Used by GatewayJsClientsIT, which computes the same spans.
//
//   node send-spans.mjs <endpoint> <http-json|http-protobuf|grpc> <count> <run-id: 16 hex digits>
//
// Span i: trace id = run id + (i + 1) and span id = i + 1 (16 hex digits each), name "<protocol>-span-<i>",
// kind SERVER, attributes index (int), protocol (string), even (bool), ratio (double).
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as HttpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';

const [endpoint, protocol, countArg, runId] = process.argv.slice(2);
const count = Number.parseInt(countArg, 10);
if (!endpoint || !protocol || !Number.isInteger(count) || count < 1 || !/^[0-9a-f]{16}$/.test(runId ?? '')) {
  console.error('usage: node send-spans.mjs <endpoint> <http-json|http-protobuf|grpc> <count> <run-id: 16 hex>');
  process.exit(2);
}

const hex16 = (n) => n.toString(16).padStart(16, '0');

// Deterministic ids, so the test knows which spans to look for. Each span is a root span of its own trace.
// The SDK asks for the span id first, then (for a root span) the trace id.
let next = 0;
const idGenerator = {
  generateSpanId: () => hex16(++next),
  generateTraceId: () => runId + hex16(next),
};

function exporterFor(kind) {
  const options = { url: endpoint, timeoutMillis: 15000 };
  switch (kind) {
    case 'http-json': return new HttpJsonExporter(options);
    case 'http-protobuf': return new HttpProtoExporter(options);
    case 'grpc': return new GrpcExporter(options);
    default:
      console.error(`unknown protocol ${kind}`);
      process.exit(2);
  }
}

const recorded = new InMemorySpanExporter();
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'js-client', 'run.id': runId }),
  idGenerator,
  spanProcessors: [new SimpleSpanProcessor(recorded)],
});
const tracer = provider.getTracer('gateway-js-it', '1.0.0');
for (let i = 0; i < count; i++) {
  const span = tracer.startSpan(`${protocol}-span-${i}`, {
    kind: SpanKind.SERVER,
    attributes: { index: i, protocol, even: i % 2 === 0, ratio: i + 0.5 },
  });
  span.end();
}
await provider.forceFlush();
const spans = recorded.getFinishedSpans();

const exporter = exporterFor(protocol);
const result = await new Promise((resolve) => exporter.export(spans, resolve));
await exporter.shutdown();
if (result.code !== 0) {
  console.error(`export of ${spans.length} spans over ${protocol} to ${endpoint} failed: ${result.error ?? 'unknown error'}`);
  process.exit(1);
}
console.log(`exported ${spans.length} spans over ${protocol} to ${endpoint}`);
