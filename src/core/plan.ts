// (DesiredState, LiveState, options) -> Plan. Pure: no I/O, no clock. A Plan is a value that the
// renderers print, the plan file stores, and the apply executor carries out.
import { createHash } from "node:crypto";
import equal from "fast-deep-equal";
import { diffProviders, type KeyDiff } from "./diff.js";
import { canonicalDesired, canonicalLive } from "./normalise.js";
import { DEFAULT_POLICY_OPTIONS, deleteThresholdPolicy, identifierConflictPolicy, prunePolicy, replacePolicy, type PlanPolicy, type PolicyOptions } from "./policies.js";
import { rulesFor, type ProviderType } from "./providerTypes.js";
import { poolId, providerId, type DesiredProvider, type DesiredState, type LiveProvider, type LiveState, type PoolRef, type ProviderKey } from "./types.js";

export type ChangeAction = "create" | "update" | "replace" | "delete";

export interface Change {
  readonly action: ChangeAction;
  /** `region/userPoolId` */
  readonly pool: string;
  readonly key: ProviderKey;
  readonly desired?: DesiredProvider | undefined;
  readonly live?: LiveProvider | undefined;
  readonly diffs: readonly KeyDiff[];
  /** Write-only keys that are sent although they cannot be compared (--rotate-secrets). */
  readonly writeOnlySent: readonly string[];
}

export interface Suppressed {
  readonly change: Change;
  readonly policy: string;
  readonly reason: string;
  /** A blocking suppression makes apply refuse to run at all; a non-blocking one is informational. */
  readonly blocking: boolean;
}

export interface NoChange {
  readonly pool: string;
  readonly key: ProviderKey;
  readonly providerType: ProviderType;
}

/** A pool whose live state could not be read: nothing in it is planned, and the run fails. */
export interface UnreadPool {
  readonly pool: PoolRef;
  readonly message: string;
}

export interface Plan {
  /** The pools planned (every pool the config names, less the unread ones). */
  readonly pools: readonly PoolRef[];
  readonly unreadPools: readonly UnreadPool[];
  /** Changes apply will make, in the order it makes them within each pool. */
  readonly changes: readonly Change[];
  readonly suppressed: readonly Suppressed[];
  readonly noops: readonly NoChange[];
  readonly options: PlanOptions;
  /** Checksum of the live state the plan was computed from (apply of a saved plan checks it). */
  readonly liveChecksum: string;
  /** Checksum of the desired state, secrets included only through the digest (a saved plan checks it too). */
  readonly desiredChecksum: string;
}

export interface PlanOptions extends PolicyOptions {
  /** Send write-only keys (Apple private_key) even when nothing else changed. */
  readonly rotateSecrets: boolean;
}

export const DEFAULT_PLAN_OPTIONS: PlanOptions = { ...DEFAULT_POLICY_OPTIONS, rotateSecrets: false };

/** Locale-independent ordering, so a plan reads the same on every machine. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const ACTION_ORDER: Record<ChangeAction, number> = { delete: 0, update: 1, replace: 2, create: 3 };

/** Order-independent digest of the live providers in the planned pools. */
export function liveChecksum(live: LiveState): string {
  const rows = live.pools
    .flatMap((p) =>
      p.providers.map((lp) => ({
        id: providerId(lp.key),
        t: lp.providerType,
        d: Object.entries(lp.providerDetails).sort(),
        m: Object.entries(lp.attributeMapping ?? {}).sort(),
        i: [...(lp.idpIdentifiers ?? [])].sort(),
        a: Object.entries(lp.acrMapping ?? {}).sort(),
      })),
    )
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const pools = live.pools.map((p) => poolId(p)).sort();
  return "sha256:" + createHash("sha256").update(JSON.stringify({ pools, rows })).digest("hex");
}

/** Order-independent digest of the desired providers; secret values enter only the one-way digest. */
export function desiredChecksum(desired: DesiredState): string {
  const rows = desired.providers
    .map((d) => ({
      id: providerId(d.key),
      t: d.providerType,
      d: Object.entries(d.providerDetails).sort(),
      m: Object.entries(d.attributeMapping ?? {}).sort(),
      i: d.idpIdentifiers === undefined ? null : [...d.idpIdentifiers].sort(),
      a: Object.entries(d.acrMapping ?? {}).sort(),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  return "sha256:" + createHash("sha256").update(JSON.stringify(rows)).digest("hex");
}

export function computePlan(desired: DesiredState, live: LiveState, options: PlanOptions = DEFAULT_PLAN_OPTIONS, unreadPools: readonly UnreadPool[] = []): Plan {
  // A pool that could not be read is not planned at all: without its live state every provider would look new.
  const unread = new Set(unreadPools.map((u) => poolId(u.pool)));
  const plannedPools = desired.pools.filter((p) => !unread.has(poolId(p)));
  const candidates: Change[] = [];
  const noops: NoChange[] = [];
  const liveCounts = new Map<string, number>();
  const liveById = new Map<string, LiveProvider>();
  const liveByPool = new Map<string, readonly LiveProvider[]>();
  for (const pool of live.pools) {
    liveCounts.set(poolId(pool), pool.providers.length);
    liveByPool.set(poolId(pool), pool.providers);
    for (const lp of pool.providers) liveById.set(providerId(lp.key), lp);
  }
  const declared = new Set<string>();
  for (const d of desired.providers) {
    if (unread.has(poolId(d.key))) continue;
    const id = providerId(d.key);
    declared.add(id);
    const pool = poolId(d.key);
    const l = liveById.get(id);
    const want = canonicalDesired(d);
    if (!l || l.providerType !== d.providerType) {
      // A new provider: every key is shown, write-only ones too (masked), since all are sent.
      const writeOnlyDiffs: KeyDiff[] = rulesFor(d.providerType)
        .writeOnly.filter((k) => d.providerDetails[k] !== undefined)
        .map((k) => ({ field: "ProviderDetails", key: k, action: "add", sensitive: true }));
      const diffs = [...diffProviders(undefined, want, d), ...writeOnlyDiffs];
      candidates.push(l ? { action: "replace", pool, key: d.key, desired: d, live: l, diffs, writeOnlySent: [] } : { action: "create", pool, key: d.key, desired: d, diffs, writeOnlySent: [] });
      continue;
    }
    const have = canonicalLive(l, d);
    const writeOnly = rulesFor(d.providerType).writeOnly.filter((k) => d.providerDetails[k] !== undefined);
    if (equal(have, want)) {
      if (options.rotateSecrets && writeOnly.length > 0) {
        candidates.push({ action: "update", pool, key: d.key, desired: d, live: l, diffs: [], writeOnlySent: writeOnly });
      } else noops.push({ pool, key: d.key, providerType: d.providerType });
      continue;
    }
    candidates.push({ action: "update", pool, key: d.key, desired: d, live: l, diffs: diffProviders(have, want, d), writeOnlySent: writeOnly });
  }
  for (const pool of live.pools) {
    for (const l of pool.providers) {
      if (declared.has(providerId(l.key))) continue;
      candidates.push({ action: "delete", pool: poolId(pool), key: l.key, live: l, diffs: [], writeOnlySent: [] });
    }
  }

  const policies: PlanPolicy[] = [
    replacePolicy(options.allowReplace),
    prunePolicy(options.prune),
    deleteThresholdPolicy(options.maxDeleteFraction, options.force, liveCounts),
    identifierConflictPolicy(liveByPool),
  ];
  let kept = candidates;
  const suppressed: Suppressed[] = [];
  for (const policy of policies) {
    const r = policy.apply(kept);
    kept = r.kept;
    suppressed.push(...r.suppressed);
  }
  const byPoolThenAction = (a: Change, b: Change) =>
    byText(a.pool, b.pool) || ACTION_ORDER[a.action] - ACTION_ORDER[b.action] || byText(a.key.providerName, b.key.providerName);
  kept.sort(byPoolThenAction);
  suppressed.sort((a, b) => byPoolThenAction(a.change, b.change));
  noops.sort((a, b) => byText(a.pool, b.pool) || byText(a.key.providerName, b.key.providerName));
  const planOptions: PlanOptions = {
    prune: options.prune,
    allowReplace: options.allowReplace,
    force: options.force,
    maxDeleteFraction: options.maxDeleteFraction,
    rotateSecrets: options.rotateSecrets,
  };
  return { pools: plannedPools, unreadPools: [...unreadPools], changes: kept, suppressed, noops, options: planOptions, liveChecksum: liveChecksum(live), desiredChecksum: desiredChecksum(desired) };
}

export interface PlanSummary {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
  readonly unchanged: number;
  readonly unmanaged: number;
  readonly blocked: number;
  readonly unread: number;
}

export function summarise(plan: Plan): PlanSummary {
  const count = (a: ChangeAction) => plan.changes.filter((c) => c.action === a).length;
  return {
    create: count("create"),
    update: count("update"),
    replace: count("replace"),
    delete: count("delete"),
    unchanged: plan.noops.length,
    unmanaged: plan.suppressed.filter((s) => s.policy === "prune").length,
    blocked: plan.suppressed.filter((s) => s.blocking).length,
    unread: plan.unreadPools.length,
  };
}

export function hasChanges(plan: Plan): boolean {
  return plan.changes.length > 0 || plan.suppressed.some((s) => s.blocking);
}
