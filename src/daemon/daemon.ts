// The reconcile loop behind `daemon`: re-reads the config and secrets on every run, never overlaps
// two runs, backs off after failures, and stops cleanly (the write in flight finishes).
import type { Logger } from "pino";
import { applyPlan } from "../apply/apply.js";
import type { CallEvent } from "../aws/gateway.js";
import { isThrottle } from "../aws/retry.js";
import { summarise, type PlanOptions } from "../core/plan.js";
import { planAgainstLive, loadOrReport, type CommonOptions } from "../cli/pipeline.js";
import type { CliIO, Output } from "../cli/io.js";
import type { DaemonMetrics } from "./metrics.js";

export interface DaemonOptions extends CommonOptions {
  readonly plan: PlanOptions;
  readonly dryRun: boolean;
  /** A run going on longer than this makes /healthz fail (the loop is stuck). */
  readonly stuckAfterMs: number;
  /** Most ticks skipped after repeated failures. */
  readonly maxBackoffTicks: number;
}

export type RunResult = "success" | "failure" | "invalid_config" | "skipped";

export class Daemon {
  #running: Promise<RunResult> | undefined;
  #runStartedAt: number | undefined;
  #failures = 0;
  #skipTicks = 0;
  #stopped = false;
  readonly #abort = new AbortController();
  lastConfigValid: boolean | undefined;
  lastResult: RunResult | undefined;

  constructor(
    readonly options: DaemonOptions,
    readonly io: CliIO,
    readonly output: Output,
    readonly log: Logger,
    readonly metrics: DaemonMetrics,
    readonly now: () => number = Date.now,
  ) {}

  /** Healthy unless a run has been going on for longer than the deadline. */
  healthy(): boolean {
    return this.#runStartedAt === undefined || this.now() - this.#runStartedAt < this.options.stuckAfterMs;
  }

  ready(): boolean {
    return this.lastConfigValid === true;
  }

  get running(): boolean {
    return this.#running !== undefined;
  }

  /** A scheduled tick: skipped (and counted) while a run is in progress or while backing off. */
  tick(): Promise<RunResult> {
    if (this.#stopped) return Promise.resolve("skipped");
    if (this.#running) {
      this.metrics.skippedTicks.inc({ reason: "overlap" });
      this.log.warn("previous run still in progress; tick skipped");
      return Promise.resolve("skipped");
    }
    if (this.#skipTicks > 0) {
      this.#skipTicks--;
      this.metrics.skippedTicks.inc({ reason: "backoff" });
      return Promise.resolve("skipped");
    }
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
      this.#runStartedAt = undefined;
    });
    return this.#running;
  }

  #observe = (e: CallEvent): void => {
    this.metrics.apiCalls.inc({ operation: e.operation, outcome: e.outcome });
    if (isThrottle(e.outcome)) this.metrics.throttled.inc({ operation: e.operation });
    if (e.willRetry) this.metrics.retries.inc({ operation: e.operation });
  };

  async #run(): Promise<RunResult> {
    this.#runStartedAt = this.now();
    this.metrics.lastAttempt.set(this.now() / 1000);
    const end = this.metrics.runDuration.startTimer();
    const result = await this.#reconcile().catch((error: unknown) => {
      this.log.error({ error: error instanceof Error ? error.message : String(error) }, "run failed");
      return "failure" as const;
    });
    end();
    this.metrics.runs.inc({ result });
    this.lastResult = result;
    if (result === "success") {
      this.#failures = 0;
      this.metrics.lastSuccess.set(this.now() / 1000);
    } else {
      // Back off: skip 1, 2, 4 … ticks after consecutive failures, up to the cap.
      this.#failures++;
      this.#skipTicks = Math.min(this.options.maxBackoffTicks, 2 ** (this.#failures - 1));
    }
    return result;
  }

  async #reconcile(): Promise<RunResult> {
    const loaded = loadOrReport(this.options, this.io, this.output, this.log);
    this.lastConfigValid = loaded !== undefined;
    if (!loaded) return "invalid_config";
    const run = await planAgainstLive(loaded.state, this.options, this.options.plan, this.log, this.#observe);
    try {
      const { plan } = run;
      const sum = summarise(plan);
      for (const action of ["create", "update", "replace", "delete"] as const) this.metrics.drift.set({ action }, sum[action]);
      this.metrics.unmanaged.set(sum.unmanaged);
      this.log.info({ ...sum }, "plan");
      const blocked = plan.suppressed.filter((s) => s.blocking);
      for (const b of blocked) this.log.error({ pool: b.change.key.userPoolId, provider: b.change.key.providerName, action: b.change.action }, `refused: ${b.reason}`);
      if (this.options.dryRun || plan.changes.length === 0 || blocked.length > 0) {
        return blocked.length > 0 || run.readErrors.length > 0 ? "failure" : "success";
      }
      const result = await applyPlan(plan, run.connection.gateway, {
        concurrency: this.options.concurrency,
        signal: this.#abort.signal,
        onOutcome: (o) => {
          this.metrics.applied.inc({ action: o.change.action, status: o.status });
          const fields = { pool: o.change.key.userPoolId, provider: o.change.key.providerName, action: o.change.action, status: o.status };
          if (o.status === "applied") this.log.info(fields, "change applied");
          else this.log.error({ ...fields, error: o.error }, "change not applied");
        },
      });
      return result.outcomes.every((o) => o.status === "applied") && run.readErrors.length === 0 ? "success" : "failure";
    } finally {
      await run.connection.close();
    }
  }

  /** Stop: no new run or write starts; resolves when the run in flight (if any) has finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    await this.#running;
  }
}
