// `validate`, `plan` and `apply`: the one-shot commands for CI and people.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Logger } from "pino";
import { applyPlan, type ChangeOutcome } from "../../apply/apply.js";
import { hasChanges, summarise, type Plan, type PlanOptions } from "../../core/plan.js";
import { planToJson } from "../../core/render/json.js";
import { changeTitle, renderText } from "../../core/render/text.js";
import type { CliIO, Output } from "../io.js";
import { loadOrReport, planAgainstLive, type CommonOptions } from "../pipeline.js";

export const EXIT = { ok: 0, error: 1, changes: 2 } as const;

export type PlanFormat = "text" | "json";

export interface PlanCommandOptions extends CommonOptions, PlanOptions {
  readonly format: PlanFormat;
  readonly out?: string | undefined;
  readonly detailedExitcode: boolean;
  readonly color: boolean;
}

export function renderPlan(plan: Plan, format: PlanFormat, color: boolean): string {
  return format === "json" ? JSON.stringify(planToJson(plan), null, 2) + "\n" : renderText(plan, { color });
}

export function validateCommand(options: { config: string }, io: CliIO, output: Output, log: Logger): number {
  const loaded = loadOrReport(options, io, output, log);
  if (!loaded) return EXIT.error;
  output.out(
    `${options.config}: ${loaded.documentCount} provider${loaded.documentCount === 1 ? "" : "s"} in ${loaded.fileCount} file${loaded.fileCount === 1 ? "" : "s"}, ${loaded.state.pools.length} user pool${loaded.state.pools.length === 1 ? "" : "s"}: valid.\n`,
  );
  return EXIT.ok;
}

export async function planCommand(options: PlanCommandOptions, io: CliIO, output: Output, log: Logger): Promise<number> {
  const loaded = loadOrReport(options, io, output, log);
  if (!loaded) return EXIT.error;
  const run = await planAgainstLive(loaded.state, options, options, log);
  try {
    output.out(renderPlan(run.plan, options.format, options.color));
    if (options.out) {
      writeFileSync(resolve(io.cwd, options.out), output.secrets.mask(JSON.stringify(planToJson(run.plan), null, 2) + "\n"));
      log.info({ file: options.out }, "plan written");
    }
    if (run.readErrors.length > 0) {
      for (const e of run.readErrors) output.err(`error: ${e.message}\n`);
      return EXIT.error;
    }
    return options.detailedExitcode && hasChanges(run.plan) ? EXIT.changes : EXIT.ok;
  } finally {
    await run.connection.close();
  }
}

export interface ApplyCommandOptions extends PlanCommandOptions {
  readonly signal?: AbortSignal | undefined;
}

function outcomeLine(o: ChangeOutcome): string {
  const where = `${o.change.key.userPoolId}`;
  if (o.status === "applied") return `applied: ${changeTitle(o.change)} in ${where}${o.note ? ` (${o.note})` : ""}`;
  if (o.status === "skipped") return `skipped: ${changeTitle(o.change)} in ${where}: ${o.error}`;
  return `FAILED: ${changeTitle(o.change)} in ${where}: ${o.error}`;
}

export async function applyCommand(options: ApplyCommandOptions, io: CliIO, output: Output, log: Logger): Promise<number> {
  const loaded = loadOrReport(options, io, output, log);
  if (!loaded) return EXIT.error;
  const run = await planAgainstLive(loaded.state, options, options, log);
  try {
    const { plan } = run;
    output.out(renderPlan(plan, options.format, options.color));
    const blocked = plan.suppressed.filter((s) => s.blocking);
    if (blocked.length > 0) {
      for (const b of blocked) output.err(`error: refused to ${changeTitle(b.change)} in ${b.change.key.userPoolId}: ${b.reason}\n`);
      output.err("Nothing was changed.\n");
      return EXIT.error;
    }
    if (plan.changes.length === 0) {
      output.err("Nothing to apply.\n");
      return run.readErrors.length > 0 ? EXIT.error : EXIT.ok;
    }
    const result = await applyPlan(plan, run.connection.gateway, {
      concurrency: options.concurrency,
      signal: options.signal,
      onOutcome: (o) => {
        const fields = { pool: o.change.key.userPoolId, provider: o.change.key.providerName, action: o.change.action, status: o.status };
        if (o.status === "applied") log.info(fields, outcomeLine(o));
        else log.error({ ...fields, error: o.error }, outcomeLine(o));
      },
    });
    const failed = result.outcomes.filter((o) => o.status !== "applied");
    const applied = result.outcomes.length - failed.length;
    for (const o of failed) output.err(`${outcomeLine(o)}\n`);
    for (const e of run.readErrors) output.err(`error: ${e.message}\n`);
    const sum = summarise(plan);
    output.out(
      `Apply: ${applied} of ${result.outcomes.length} change${result.outcomes.length === 1 ? "" : "s"} applied (${sum.create} create, ${sum.update} update, ${sum.replace} replace, ${sum.delete} delete)` +
        (failed.length > 0 ? `, ${failed.length} not applied.` : ".") +
        "\n",
    );
    return failed.length > 0 || run.readErrors.length > 0 ? EXIT.error : EXIT.ok;
  } finally {
    await run.connection.close();
  }
}

export { hasChanges };
