import fs from 'node:fs';
import path from 'node:path';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import { REDACTED, REDACT_PATHS, scrubDeep, scrubSecrets } from './redact.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: Level;
  /** Log file (JSON lines), typically `<data folder>/logs/phoenix-re.log`. */
  file?: string;
  /** Also write to the terminal (stderr) from this level up; the CLI uses `warn`. */
  terminalLevel?: Level;
  /** Extra destination (tests read the log from it). */
  stream?: DestinationStream;
  /** Values that must never be written, wherever they turn up (configured tokens and keys). */
  secrets?: readonly string[];
}

/**
 * The process's pino logger: secret keys and owner names redacted by path, configured secret
 * values scrubbed from every string, errors serialised with their message and stack.
 */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 4);
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
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubSecrets(a, secrets) : a)) as typeof args;
          return method.apply(this, scrubbed);
        },
      },
      formatters: {
        log(object) {
          return scrubDeep(object, secrets) as Record<string, unknown>;
        },
      },
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
