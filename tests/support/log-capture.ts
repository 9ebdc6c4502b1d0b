import { createLogger } from '../../server/observability/logger.ts';

/** A server logger writing into memory at info, whatever the test run's level: pass `logger` to startTestServer. */
export function captureLogger() {
  const lines: string[] = [];
  const log = createLogger({ write: (line: string) => void lines.push(line) }, 'info');
  return { log, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}
