// The plan as a person reads it in a terminal or a CI log. Sensitive values never reach this
// module (diffs carry none), and the shell masks known secret values once more on output.
import { diffPath, type KeyDiff } from "../diff.js";
import { summarise, type Change, type Plan } from "../plan.js";
import { poolId } from "../types.js";

export interface TextOptions {
  readonly color: boolean;
}

const CODES = { green: 32, yellow: 33, red: 31, cyan: 36, dim: 2, bold: 1, magenta: 35 } as const;
type Colour = keyof typeof CODES;

const MAX_VALUE = 80;

export function showValue(value: string | readonly string[] | undefined): string {
  if (value === undefined) return "(none)";
  if (Array.isArray(value)) return `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
  const s = value as string;
  if (s.length > MAX_VALUE || s.includes("\n")) {
    const head = JSON.stringify(s.replace(/\s+/g, " ").slice(0, 40)).slice(0, -1);
    return `${head}…" (${s.length} characters)`;
  }
  return JSON.stringify(s);
}

export function describeDiff(d: KeyDiff): string {
  const path = diffPath(d);
  if (d.sensitive) {
    const what = d.action === "add" ? "set" : d.action === "remove" ? "removed" : "changed";
    return `${path}: (sensitive value ${what})`;
  }
  if (d.action === "add") return `${path}: ${showValue(d.after)}`;
  if (d.action === "remove") return `${path}: ${showValue(d.before)} -> (removed)`;
  return `${path}: ${showValue(d.before)} -> ${showValue(d.after)}`;
}

const SYMBOL: Record<Change["action"], [string, Colour]> = {
  create: ["+", "green"],
  update: ["~", "yellow"],
  replace: ["-/+", "magenta"],
  delete: ["-", "red"],
};

function diffSign(d: KeyDiff): string {
  return d.action === "add" ? "+" : d.action === "remove" ? "-" : "~";
}

export function changeTitle(c: Change): string {
  const type = c.action === "replace" ? `${c.live?.providerType} -> ${c.desired?.providerType}` : (c.desired ?? c.live)?.providerType;
  return `${c.action} ${c.key.providerName} (${type})`;
}

/** When no pool has anything to show: the pools match, unless some could not be read at all. */
export function noChangesLine(plan: Plan): string {
  return plan.unreadPools.length === 0 ? "No changes. The user pools match the configuration." : "No changes in the user pools that could be read.";
}

export function renderText(plan: Plan, options: TextOptions): string {
  const paint = (colour: Colour, s: string) => (options.color ? `\u001b[${CODES[colour]}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  const pools = [...new Set([...plan.changes.map((c) => c.pool), ...plan.suppressed.map((s) => s.change.pool)])].sort();
  for (const pool of pools) {
    lines.push(paint("bold", `user pool ${pool}`));
    for (const c of plan.changes.filter((x) => x.pool === pool)) {
      const [sym, colour] = SYMBOL[c.action];
      const where = c.desired ? paint("dim", `  (${c.desired.source.file}:${c.desired.source.line})`) : "";
      lines.push(`  ${paint(colour, `${sym} ${changeTitle(c)}`)}${where}`);
      for (const d of c.diffs) lines.push(`      ${paint(colour, diffSign(d))} ${describeDiff(d)}`);
      for (const k of c.writeOnlySent) lines.push(`      ~ ProviderDetails.${k}: (write-only, sent again)`);
    }
    for (const s of plan.suppressed.filter((x) => x.change.pool === pool)) {
      const mark = s.blocking ? paint("red", `! refused: ${changeTitle(s.change)}`) : paint("cyan", `? unmanaged ${s.change.key.providerName} (${s.change.live?.providerType})`);
      lines.push(`  ${mark}: ${s.reason}`);
    }
  }
  for (const u of plan.unreadPools) {
    lines.push(paint("bold", `user pool ${poolId(u.pool)}`));
    lines.push(`  ${paint("red", "! not read, so not planned")}: ${u.message}`);
  }
  const sum = summarise(plan);
  if (pools.length === 0) lines.push(noChangesLine(plan));
  let line = `Plan: ${sum.create} to create, ${sum.update} to update, ${sum.replace} to replace, ${sum.delete} to delete; ${sum.unchanged} unchanged`;
  if (sum.unmanaged > 0) line += `, ${sum.unmanaged} unmanaged`;
  if (sum.blocked > 0) line += `, ${sum.blocked} refused`;
  if (sum.unread > 0) line += `; ${sum.unread} user pool${sum.unread === 1 ? "" : "s"} not read`;
  lines.push(paint("bold", `${line}.`));
  return lines.join("\n") + "\n";
}
