/// <reference path="./pino-roll.d.ts" />
import path from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';
import { scrubText } from './scrub.ts';

export type { Logger };

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LEVELS)[number];

/** `KLUSTERA_LOG_LEVEL`: unset is info; a value that is not a level stops the start rather than logging nothing. */
export function logLevelFromEnv(value: string | undefined = process.env.KLUSTERA_LOG_LEVEL): LogLevel {
  if (value === undefined || value === '') return 'info';
  const level = value.toLowerCase();
  if ((LEVELS as readonly string[]).includes(level)) return level as LogLevel;
  throw new Error(`KLUSTERA_LOG_LEVEL must be one of ${LEVELS.join(', ')}, got ${value}`);
}

/**
 * Keys whose values never reach a log line, wherever an object carrying them is logged. Lines are written from
 * chosen fields (no request headers or bodies are logged), so this is the second line of defence, not the first.
 */
export const REDACTED_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'new_password',
  'current_password',
  'pin',
  'token',
  'invite_code',
  'phone',
  'email',
  'name',
  'full_name',
  'payer_name',
  'plate',
  'secret',
  'api_key',
];
const REDACT_PATHS = REDACTED_KEYS.flatMap((key) => [`["${key}"]`, `*["${key}"]`, `*.*["${key}"]`]);

/**
 * An error as it is logged: its class, stable code, and message and stack with anything that looks like a phone
 * number, an e-mail address or a token masked. Other properties are dropped: a PostgreSQL error's `detail` names the
 * values of a refused row, and a driver error may carry its bindings.
 */
export function serializeError(err: unknown): Record<string, unknown> | unknown {
  if (!(err instanceof Error)) return typeof err === 'string' ? scrubText(err) : err;
  const out: Record<string, unknown> = { type: err.constructor?.name ?? 'Error', message: scrubText(err.message) };
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  if (err.stack) out.stack = scrubText(err.stack);
  if (err.cause !== undefined) out.cause = serializeError(err.cause);
  return out;
}

/**
 * A logger writing JSON lines to `destination`, by default stdout through an asynchronous buffer: a request never
 * waits for a write to the terminal, the journal or a file.
 */
export function createLogger(destination?: DestinationStream, level: LogLevel = logLevelFromEnv()): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError, error: serializeError },
    },
    destination ?? bufferedStdout(),
  );
}

/**
 * Standard output in 4 KB writes, flushed at least every second: one write per log line (one access line per
 * request) cost a system call and a thread-pool round trip per request, which a busy gate or payment desk felt.
 */
function bufferedStdout(): DestinationStream {
  const stream = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => {
    try {
      stream.flush();
    } catch {
      // Busy with an earlier write: the next second flushes.
    }
  }, 1000).unref();
  return stream;
}

let processLogger: Logger | undefined;

/** The process's logger, for code that runs outside a server's context (response checks, the command line). */
export function logger(): Logger {
  processLogger ??= createLogger();
  return processLogger;
}

export interface LogFileSettings {
  /** Folder of the rotated files (`<data folder>/logs`). */
  dir: string;
  /** Rotate at this size as well as daily (pino-roll units: `10m`, `500k`). */
  size: string;
  /** Rotated files kept besides the current one. */
  keep: number;
}

/** `KLUSTERA_LOG_FILE=1` writes the log to the data folder instead of stdout; size and count have defaults. */
export function logFileFromEnv(dataDir: string, env: NodeJS.ProcessEnv = process.env): LogFileSettings | null {
  const on = env.KLUSTERA_LOG_FILE;
  if (on === undefined || on === '' || on === '0') return null;
  if (on !== '1') throw new Error(`KLUSTERA_LOG_FILE must be 1 or 0, got ${on}`);
  const size = env.KLUSTERA_LOG_MAX_SIZE || '10m';
  if (!/^\d+[kmg]?$/.test(size)) throw new Error(`KLUSTERA_LOG_MAX_SIZE must look like 10m, 500k or 1g, got ${size}`);
  const keep = Number(env.KLUSTERA_LOG_KEEP || 14);
  if (!Number.isInteger(keep) || keep < 1 || keep > 1000) throw new Error(`KLUSTERA_LOG_KEEP must be 1–1000, got ${env.KLUSTERA_LOG_KEEP}`);
  return { dir: path.join(dataDir, 'logs'), size, keep };
}

/** A rotating file stream (pino-roll, asynchronous writes): daily and at `size`, keeping `keep` old files. */
export async function rotatingFile(settings: LogFileSettings): Promise<DestinationStream> {
  // Loaded only when a file is configured: most installations log to stdout.
  const { default: roll } = await import('pino-roll');
  return roll({
    file: path.join(settings.dir, 'klustera'),
    extension: '.log',
    frequency: 'daily',
    dateFormat: 'yyyy-MM-dd',
    size: settings.size,
    mkdir: true,
    limit: { count: settings.keep },
  });
}

/**
 * The process's logger once the data folder is known: stdout, or the rotated file when configured. Set once per
 * process: several servers in one process (tests) share it.
 */
export async function configureProcessLogger(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<Logger> {
  const file = logFileFromEnv(dataDir, env);
  const level = logLevelFromEnv(env.KLUSTERA_LOG_LEVEL);
  if (file && !processLogger) processLogger = createLogger(await rotatingFile(file), level);
  return logger();
}
