import fs from 'node:fs';
import path from 'node:path';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import { REDACTED, REDACT_PATHS } from './redact.js';
import { SecretScrubber } from './secret-scrubber.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: Level;
  /** Log file (JSON lines), typically `<data folder>/logs/phoenix-re.log`. */
  file?: string;
  /** Also write to the terminal (stderr) from this level up; the CLI uses `warn`. */
  terminalLevel?: Level;
  /** Extra destination (tests read the log from it). */
  stream?: DestinationStream;
  /** Removes every known secret, in any spelling, from each whole line before it is written; unset: credential shapes only. */
  scrubber?: SecretScrubber;
}

/**
 * The process's pino logger: secret keys and owner names redacted by path, every finished line
 * passed through the scrubber (so message, fields and errors alike lose every secret in every
 * spelling), errors serialised with their message and stack.
 */
export function createLogger(options: LoggerOptions): Logger {
  const scrubber = options.scrubber ?? new SecretScrubber();
  const streams: pino.StreamEntry[] = [];
  if (options.file) {
    // The log holds run errors and record ids: readable by its owner only, however it was created.
    fs.mkdirSync(path.dirname(options.file), { recursive: true, mode: 0o700 });
    fs.closeSync(fs.openSync(options.file, 'a', 0o600));
    fs.chmodSync(options.file, 0o600);
    streams.push({ level: options.level, stream: pino.destination({ dest: options.file, sync: false, mkdir: true, mode: 0o600 }) });
  }
  if (options.terminalLevel) streams.push({ level: options.terminalLevel, stream: terminalLines(process.stderr) });
  if (options.stream) streams.push({ level: options.level, stream: options.stream });
  if (streams.length === 0) streams.push({ level: options.level, stream: process.stderr });

  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      serializers: { err: pino.stdSerializers.err },
      formatters: {
        log(object) {
          return plainErrors(object) as Record<string, unknown>;
        },
      },
      hooks: { streamWrite: (line) => scrubbedLine(line, scrubber) },
    },
    pino.multistream(streams),
  );
}

/**
 * The log as a person reads it on a terminal: one line per entry, `warn: <message>: <error
 * message>`, never the JSON, the stack or the process id (the log file keeps those).
 */
export function terminalLines(out: NodeJS.WritableStream): DestinationStream {
  return {
    write(line: string) {
      let entry: { level?: number; msg?: string; err?: { message?: string } };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        out.write(line);
        return;
      }
      const level = pino.levels.labels[entry.level ?? 30] ?? 'log';
      const detail = entry.err?.message && entry.err.message !== entry.msg ? `: ${entry.err.message}` : '';
      out.write(`${level}: ${entry.msg ?? ''}${detail}\n`);
    },
  };
}

/**
 * One JSON log line without secrets. A removed secret may end inside a JSON escape (a prefix
 * followed by `\"`), which would break the line: then the line is parsed, scrubbed value by
 * value and written again; what is still not clean is written scrubbed even if not JSON.
 */
export function scrubbedLine(line: string, scrubber: SecretScrubber): string {
  const clean = scrubber.scrub(line);
  if (clean === line) return line;
  try {
    JSON.parse(clean);
    return clean;
  } catch {
    let rewritten: string;
    try {
      rewritten = `${JSON.stringify(scrubber.scrubDeep(JSON.parse(line) as unknown))}\n`;
    } catch {
      return clean;
    }
    return scrubber.scrub(rewritten);
  }
}

/** Errors anywhere in a logged object (a few levels deep) as plain `{type, message, stack, ...}`. */
function plainErrors(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => plainErrors(v, depth + 1));
  if (value instanceof Error) {
    const plain: Record<string, unknown> = { type: value.name, message: value.message, stack: value.stack };
    for (const [k, v] of Object.entries(value)) plain[k] = v;
    return plainErrors(plain, depth + 1);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = plainErrors(v, depth + 1);
  return out;
}
