// Safety policies, each a small value with one method that moves changes it will not allow into a
// visible `suppressed` list instead of dropping them (after external-dns plan/policy.go). The
// thresholds are data, as in octoDNS's Plan.
import type { Change, Suppressed } from "./plan.js";
import { providerId, type LiveProvider } from "./types.js";

export interface PlanPolicy {
  readonly name: string;
  apply(changes: readonly Change[]): { kept: Change[]; suppressed: Suppressed[] };
}

export interface PolicyOptions {
  /** Delete live providers that no document declares (design.md: only with --prune). */
  readonly prune: boolean;
  /** Allow a ProviderType change, which is a delete then a create. */
  readonly allowReplace: boolean;
  /** Ignore the deletion threshold. */
  readonly force: boolean;
  /** Refuse when deletes exceed this share of a pool's live providers (default 0.3). */
  readonly maxDeleteFraction: number;
}

export const DEFAULT_POLICY_OPTIONS: PolicyOptions = { prune: false, allowReplace: false, force: false, maxDeleteFraction: 0.3 };

/** Without --prune, providers nobody declared are left alone and listed as unmanaged. */
export function prunePolicy(prune: boolean): PlanPolicy {
  return {
    name: "prune",
    apply(changes) {
      if (prune) return { kept: [...changes], suppressed: [] };
      const kept = changes.filter((c) => c.action !== "delete");
      const suppressed = changes
        .filter((c) => c.action === "delete")
        .map((change) => ({ change, policy: "prune", blocking: false, reason: "not declared in the config (unmanaged); --prune deletes it" }));
      return { kept, suppressed };
    },
  };
}

/** A ProviderType cannot be updated (cognito-behaviour.md §3.2); replacing signs users out, so it is opt-in. */
export function replacePolicy(allowReplace: boolean): PlanPolicy {
  return {
    name: "replace",
    apply(changes) {
      if (allowReplace) return { kept: [...changes], suppressed: [] };
      return {
        kept: changes.filter((c) => c.action !== "replace"),
        suppressed: changes
          .filter((c) => c.action === "replace")
          .map((change) => ({
            change,
            policy: "replace",
            blocking: true,
            reason: `ProviderType changes from ${change.live?.providerType} to ${change.desired?.providerType}, which needs delete + create; run with --allow-replace`,
          })),
      };
    },
  };
}

/** Refuse mass deletion in a pool (a truncated config must not wipe a pool's sign-in options). */
export function deleteThresholdPolicy(maxFraction: number, force: boolean, liveCounts: ReadonlyMap<string, number>): PlanPolicy {
  return {
    name: "delete-threshold",
    apply(changes) {
      if (force) return { kept: [...changes], suppressed: [] };
      const deletesPerPool = new Map<string, number>();
      for (const c of changes) if (c.action === "delete") deletesPerPool.set(c.pool, (deletesPerPool.get(c.pool) ?? 0) + 1);
      const overPools = new Set(
        [...deletesPerPool].filter(([pool, n]) => n > maxFraction * (liveCounts.get(pool) ?? 0)).map(([pool]) => pool),
      );
      const over = (c: Change) => c.action === "delete" && overPools.has(c.pool);
      return {
        kept: changes.filter((c) => !over(c)),
        suppressed: changes.filter(over).map((change) => ({
          change,
          policy: "delete-threshold",
          blocking: true,
          reason: `would delete ${deletesPerPool.get(change.pool)} of ${liveCounts.get(change.pool)} providers in ${change.key.userPoolId}, more than ${Math.round(maxFraction * 100)}%; run with --force to allow`,
        })),
      };
    },
  };
}

/**
 * An identifier a write would claim while a live provider keeps it blocks the plan: the service refuses
 * the write (identifiers are unique within a pool, cognito-behaviour.md §3.6), so say so at plan time.
 * A holder releases its identifiers when it has a change of its own in the plan (delete, replace, or an
 * update, whose desired identifiers cannot include one another document claims); otherwise it is
 * unmanaged, or its change was refused by another policy.
 */
export function identifierConflictPolicy(liveByPool: ReadonlyMap<string, readonly LiveProvider[]>): PlanPolicy {
  return {
    name: "identifier-conflict",
    apply(changes) {
      const changing = new Set(changes.map((c) => providerId(c.key)));
      const blockedBy = (c: Change): string | undefined => {
        if (c.action === "delete") return undefined;
        for (const identifier of c.desired?.idpIdentifiers ?? []) {
          const holder = (liveByPool.get(c.pool) ?? []).find(
            (l) => l.key.providerName !== c.key.providerName && (l.idpIdentifiers ?? []).includes(identifier) && !changing.has(providerId(l.key)),
          );
          if (holder) {
            return `identifier ${JSON.stringify(identifier)} is still used by live provider ${holder.key.providerName}, which this plan does not change (unmanaged, or its change is refused); remove it there, declare that provider, or run with --prune`;
          }
        }
        return undefined;
      };
      const kept: Change[] = [];
      const suppressed: Suppressed[] = [];
      for (const change of changes) {
        const reason = blockedBy(change);
        if (reason) suppressed.push({ change, policy: "identifier-conflict", blocking: true, reason });
        else kept.push(change);
      }
      return { kept, suppressed };
    },
  };
}
