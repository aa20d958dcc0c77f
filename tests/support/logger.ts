import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/main/observability/logger.js';
import { SecretScrubber } from '../../src/main/observability/secret-scrubber.js';

/** A real pino logger whose output the test can read back, one parsed JSON line per entry. */
export function memoryLogger(secrets: string[] = []): { logger: Logger; lines: () => Record<string, unknown>[]; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ level: 'debug', stream, scrubber: new SecretScrubber(secrets) });
  const text = () => chunks.join('');
  return {
    logger,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
