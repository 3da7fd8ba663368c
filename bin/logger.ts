/** The one pino logger of a process, built by its entry point and passed down. */
import { type Logger, pino } from 'pino';

export function createLogger(level: string, name: string): Logger {
  return pino({
    name,
    level,
    // Credentials never reach a log line, whatever a caller passes in.
    redact: ['password', 'token', 'key', '*.password', '*.token', '*.key', 'authorization'],
  });
}
