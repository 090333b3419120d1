// `validate`, `plan` and `apply`: the one-shot commands for CI and people.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Logger } from "pino";
import { applyPlan, type ChangeOutcome } from "../../apply/apply.js";
import { hasChanges, summarise, type Plan, type PlanOptions } from "../../core/plan.js";
import { planToJson } from "../../core/render/json.js";
import { changeTitle, renderText } from "../../core/render/text.js";
import { renderMarkdown } from "../../core/render/markdown.js";
import { appendStepSummary } from "../github.js";
import { readPlanFile, type SavedPlan } from "../planFile.js";
import type { CliIO, Output } from "../io.js";
import { loadOrReport, planAgainstLive, type CommonOptions } from "../pipeline.js";

export const EXIT = { ok: 0, error: 1, changes: 2 } as const;

export type PlanFormat = "text" | "json" | "markdown";

export interface PlanCommandOptions extends CommonOptions, PlanOptions {
  readonly format: PlanFormat;
  readonly out?: string | undefined;
  readonly detailedExitcode: boolean;
  /** Drift check for scheduled pipelines: exit 2 and say so when anything would change. */
  readonly expectNoChanges?: boolean | undefined;
  readonly color: boolean;
}

export function renderPlan(plan: Plan, format: PlanFormat, color: boolean): string {
  if (format === "json") return JSON.stringify(planToJson(plan), null, 2) + "\n";
  if (format === "markdown") return renderMarkdown(plan);
  return renderText(plan, { color });
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
    appendStepSummary(io.env, output.secrets.mask(renderMarkdown(run.plan)));
    if (options.out) {
      writeFileSync(resolve(io.cwd, options.out), output.secrets.mask(JSON.stringify(planToJson(run.plan), null, 2) + "\n"));
      log.info({ file: options.out }, "plan written");
    }
    if (run.readErrors.length > 0) {
      for (const e of run.readErrors) output.err(`error: ${e.message}\n`);
      return EXIT.error;
    }
    if (options.expectNoChanges && hasChanges(run.plan)) {
      output.err("drift detected: the user pools do not match the configuration (see the plan above).\n");
      return EXIT.changes;
    }
    return options.detailedExitcode && hasChanges(run.plan) ? EXIT.changes : EXIT.ok;
  } finally {
    await run.connection.close();
  }
}

export interface ApplyCommandOptions extends PlanCommandOptions {
  readonly signal?: AbortSignal | undefined;
  /** A plan saved with `plan --out`: applied only if neither the live state nor the config moved since. */
  readonly planFile?: string | undefined;
}

/** Why a saved plan may no longer be applied, or undefined when it still holds. */
function stalePlanReason(saved: SavedPlan, plan: Plan): string | undefined {
  if (saved.liveChecksum !== plan.liveChecksum)
    return "the live identity providers changed since the plan was made (live checksum differs); run plan again and review it";
  if (saved.desiredChecksum !== plan.desiredChecksum) return "the configuration (or a secret it references) changed since the plan was made; run plan again and review it";
  return undefined;
}

function outcomeLine(o: ChangeOutcome): string {
  const where = `${o.change.key.userPoolId}`;
  if (o.status === "applied") return `applied: ${changeTitle(o.change)} in ${where}${o.note ? ` (${o.note})` : ""}`;
  if (o.status === "skipped") return `skipped: ${changeTitle(o.change)} in ${where}: ${o.error}`;
  return `FAILED: ${changeTitle(o.change)} in ${where}: ${o.error}`;
}

export async function applyCommand(options: ApplyCommandOptions, io: CliIO, output: Output, log: Logger): Promise<number> {
  let saved: SavedPlan | undefined;
  if (options.planFile) {
    const r = readPlanFile(resolve(io.cwd, options.planFile));
    if (!r.ok) {
      output.err(`error: ${options.planFile}: ${r.message}\n`);
      return EXIT.error;
    }
    saved = r.plan;
  }
  const loaded = loadOrReport(options, io, output, log);
  if (!loaded) return EXIT.error;
  // A saved plan carries the flags it was made with; they govern the apply.
  const planOptions = saved ? { ...options, ...saved.options } : options;
  const run = await planAgainstLive(loaded.state, options, planOptions, log);
  try {
    const { plan } = run;
    if (saved) {
      const reason = stalePlanReason(saved, plan);
      if (reason) {
        output.err(`error: refusing to apply ${options.planFile}: ${reason}. Nothing was changed.\n`);
        return EXIT.error;
      }
    }
    output.out(renderPlan(plan, options.format, options.color));
    for (const e of run.readErrors) output.err(`error: ${e.message}\n`);
    const blocked = plan.suppressed.filter((s) => s.blocking);
    if (blocked.length > 0) {
      for (const b of blocked) output.err(`error: refused to ${changeTitle(b.change)} in ${b.change.key.userPoolId}: ${b.reason}\n`);
      output.err("Nothing was changed.\n");
      return EXIT.error;
    }
    if (plan.changes.length === 0) {
      output.err(run.readErrors.length > 0 ? "Nothing to apply in the user pools that could be read.\n" : "Nothing to apply.\n");
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
