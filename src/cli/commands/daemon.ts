// `daemon`: reconcile on a cron schedule (plus jitter), serve health and metrics, stop cleanly on
// SIGTERM/SIGINT (the write in flight finishes, exit 0).
import cron from "node-cron";
import type { Logger } from "pino";
import { Daemon, type DaemonOptions } from "../../daemon/daemon.js";
import { DaemonMetrics } from "../../daemon/metrics.js";
import { startHttp } from "../../daemon/server.js";
import type { CliIO, Output } from "../io.js";

export interface DaemonCommandOptions extends DaemonOptions {
  readonly schedule: string;
  readonly listen: string;
  readonly jitterSeconds: number;
}

export async function daemonCommand(options: DaemonCommandOptions, io: CliIO, output: Output, log: Logger, signal: AbortSignal | undefined): Promise<number> {
  if (!cron.validate(options.schedule)) {
    output.err(`error: --schedule ${JSON.stringify(options.schedule)} is not a valid cron expression\n`);
    return 1;
  }
  const metrics = new DaemonMetrics(true);
  const daemon = new Daemon(options, io, output, log, metrics);
  const { server, url } = await startHttp(daemon, metrics, options.listen);
  log.info({ url, schedule: options.schedule, dryRun: options.dryRun }, "daemon started");
  const timers = new Set<NodeJS.Timeout>();
  const tick = () => {
    const delay = Math.floor(Math.random() * options.jitterSeconds * 1000);
    const t = setTimeout(() => {
      timers.delete(t);
      void daemon.tick();
    }, delay);
    timers.add(t);
  };
  const task = cron.schedule(options.schedule, tick);
  void daemon.tick(); // once at start, so a new pod reconciles without waiting for the schedule
  await new Promise<void>((resolve) => {
    if (signal?.aborted) resolve();
    signal?.addEventListener("abort", () => resolve(), { once: true });
  });
  log.info("stopping: no new runs; waiting for the write in flight");
  await task.stop();
  for (const t of timers) clearTimeout(t);
  await daemon.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  log.info("stopped");
  return 0;
}
