// The plan as a reviewer reads it in a pull-request comment: a table per pool, secrets masked (diffs
// carry no sensitive values), long values collapsed.
import { diffPath, type KeyDiff } from "../diff.js";
import { summarise, type Change, type Plan } from "../plan.js";
import { poolId } from "../types.js";
import { changeTitle, noChangesLine } from "./text.js";

const LONG = 60;

function escape(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r?\n/g, " ");
}

function cell(value: string | readonly string[] | undefined): string {
  if (value === undefined) return "_(none)_";
  const s = Array.isArray(value) ? value.join(", ") : (value as string);
  if (s.length > LONG || s.includes("\n")) {
    return `<details><summary>${s.length} characters</summary><code>${escape(s)}</code></details>`;
  }
  return `\`${escape(s).replace(/`/g, "'")}\``;
}

function diffLine(d: KeyDiff): string {
  const path = `\`${diffPath(d)}\``;
  if (d.sensitive) return `${path}: _(sensitive value ${d.action === "add" ? "set" : d.action === "remove" ? "removed" : "changed"})_`;
  if (d.action === "add") return `${path}: ${cell(d.after)}`;
  if (d.action === "remove") return `${path}: ${cell(d.before)} → _(removed)_`;
  return `${path}: ${cell(d.before)} → ${cell(d.after)}`;
}

const ICON: Record<Change["action"], string> = { create: "➕ create", update: "✏️ update", replace: "♻️ replace", delete: "🗑️ delete" };

export function renderMarkdown(plan: Plan): string {
  const sum = summarise(plan);
  const lines: string[] = ["### cognito-idp-sync plan", ""];
  lines.push(
    `**${sum.create}** to create, **${sum.update}** to update, **${sum.replace}** to replace, **${sum.delete}** to delete; ${sum.unchanged} unchanged` +
      (sum.unmanaged ? `, ${sum.unmanaged} unmanaged` : "") +
      (sum.blocked ? `, **${sum.blocked} refused**` : "") +
      (sum.unread ? `; **${sum.unread} user pool${sum.unread === 1 ? "" : "s"} not read**` : "") +
      ".",
    "",
  );
  const pools = [...new Set([...plan.changes.map((c) => c.pool), ...plan.suppressed.map((s) => s.change.pool)])].sort();
  if (pools.length === 0) lines.push(noChangesLine(plan), "");
  for (const u of plan.unreadPools) lines.push(`#### User pool \`${poolId(u.pool)}\``, "", `⛔ **Not read, so not planned:** ${escape(u.message)}`, "");
  for (const pool of pools) {
    lines.push(`#### User pool \`${pool}\``, "", "| Action | Provider | Type | Changes |", "| --- | --- | --- | --- |");
    for (const c of plan.changes.filter((x) => x.pool === pool)) {
      const type = c.action === "replace" ? `${c.live?.providerType} → ${c.desired?.providerType}` : ((c.desired ?? c.live)?.providerType ?? "");
      const changes = [...c.diffs.map(diffLine), ...c.writeOnlySent.map((k) => `\`ProviderDetails.${k}\`: _(write-only, sent again)_`)];
      lines.push(`| ${ICON[c.action]} | \`${escape(c.key.providerName)}\` | ${type} | ${changes.join("<br>") || "—"} |`);
    }
    for (const s of plan.suppressed.filter((x) => x.change.pool === pool)) {
      const what = s.blocking ? `⛔ refused: ${escape(changeTitle(s.change))}` : "❔ unmanaged";
      lines.push(`| ${what} | \`${escape(s.change.key.providerName)}\` | ${(s.change.live ?? s.change.desired)?.providerType ?? ""} | ${escape(s.reason)} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
