// Structured logs on stderr: JSON lines (pino) or a readable form (pino-pretty). Every line is
// masked before it is written.
import { pino, type Logger } from "pino";
import { prettyFactory } from "pino-pretty";

export type LogFormat = "json" | "pretty";

export function createLogger(write: (line: string) => void, level: string, format: LogFormat, color: boolean): Logger {
  const pretty = format === "pretty" ? prettyFactory({ colorize: color, ignore: "pid,hostname", translateTime: "HH:MM:ss" }) : undefined;
  const destination = { write: (line: string) => write(pretty ? pretty(line) : line) };
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
