// The machine-readable plan. Sensitive values are absent from diffs by construction; desired
// records are not included (they would carry secrets).
import type { KeyDiff } from "../diff.js";
import { hasChanges, summarise, type Change, type Plan } from "../plan.js";

export const PLAN_FORMAT_VERSION = 1;

function diffJson(d: KeyDiff) {
  return {
    field: d.field,
    ...(d.key !== undefined ? { key: d.key } : {}),
    action: d.action,
    sensitive: d.sensitive,
    ...(d.sensitive ? {} : { before: d.before ?? null, after: d.after ?? null }),
  };
}

function changeJson(c: Change) {
  return {
    action: c.action,
    region: c.key.region,
    userPoolId: c.key.userPoolId,
    providerName: c.key.providerName,
    providerType: (c.desired ?? c.live)?.providerType,
    ...(c.action === "replace" ? { previousProviderType: c.live?.providerType } : {}),
    ...(c.desired ? { source: { file: c.desired.source.file, line: c.desired.source.line, col: c.desired.source.col } } : {}),
    diffs: c.diffs.map(diffJson),
    writeOnlySent: [...c.writeOnlySent],
  };
}

export function planToJson(plan: Plan) {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    hasChanges: hasChanges(plan),
    summary: summarise(plan),
    liveChecksum: plan.liveChecksum,
    desiredChecksum: plan.desiredChecksum,
    options: { ...plan.options },
    pools: plan.pools.map((p) => ({ region: p.region, userPoolId: p.userPoolId })),
    unreadPools: plan.unreadPools.map((u) => ({ region: u.pool.region, userPoolId: u.pool.userPoolId, message: u.message })),
    changes: plan.changes.map(changeJson),
    suppressed: plan.suppressed.map((s) => ({ policy: s.policy, blocking: s.blocking, reason: s.reason, change: changeJson(s.change) })),
    unchanged: plan.noops.map((n) => ({ region: n.key.region, userPoolId: n.key.userPoolId, providerName: n.key.providerName, providerType: n.providerType })),
  };
}
