// Reading a plan saved by `plan --out`: only what apply needs to decide whether it still holds.
import { readFileSync } from "node:fs";
import { PLAN_FORMAT_VERSION } from "../core/render/json.js";
import { DEFAULT_PLAN_OPTIONS, type PlanOptions } from "../core/plan.js";

export interface SavedPlan {
  readonly liveChecksum: string;
  readonly desiredChecksum: string;
  readonly options: PlanOptions;
}

export function readPlanFile(path: string): { ok: true; plan: SavedPlan } | { ok: false; message: string } {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, message: code === "ENOENT" ? "no such plan file" : `not a plan file (${(error as Error).message})` };
  }
  const p = data as Record<string, unknown> | null;
  if (!p || p["formatVersion"] !== PLAN_FORMAT_VERSION) return { ok: false, message: `not a plan file of format version ${PLAN_FORMAT_VERSION}` };
  if (typeof p["liveChecksum"] !== "string" || typeof p["desiredChecksum"] !== "string") return { ok: false, message: "the plan file has no checksums" };
  const o = (p["options"] ?? {}) as Partial<PlanOptions>;
  const options: PlanOptions = {
    prune: o.prune === true,
    allowReplace: o.allowReplace === true,
    force: o.force === true,
    rotateSecrets: o.rotateSecrets === true,
    maxDeleteFraction: typeof o.maxDeleteFraction === "number" ? o.maxDeleteFraction : DEFAULT_PLAN_OPTIONS.maxDeleteFraction,
  };
  return { ok: true, plan: { liveChecksum: p["liveChecksum"], desiredChecksum: p["desiredChecksum"], options } };
}
