// The order of the writes that carry out one pool's changes. Pure: apply runs these steps in turn.
//
// Identifiers are unique within a pool (cognito-behaviour.md §3.6), so a write that claims an
// identifier fails while another provider still holds it. Moving an identifier between providers
// (or swapping two) therefore needs every holder to let go before anyone claims:
//   1. deletes, and the delete half of each replace (a deleted provider holds nothing);
//   2. "release" updates: a provider that is being updated and holds an identifier another write
//      claims is first updated to its desired state minus the identifiers it does not yet have
//      (so it claims nothing new, even in a swap);
//   3. updates, which may now claim what was released;
//   4. creates, and the create half of each replace.
import type { Change } from "./plan.js";

export type StepKind = "delete" | "release" | "update" | "create";

export interface WriteStep {
  readonly kind: StepKind;
  readonly change: Change;
  /** For "release": the identifiers the provider keeps until its own update. */
  readonly keepIdentifiers?: readonly string[] | undefined;
}

/** `changes` are one pool's, in plan order; the steps keep that order within each phase. */
export function writeSteps(changes: readonly Change[]): WriteStep[] {
  const claimedBy = new Map<string, string>();
  for (const c of changes) {
    if (c.action === "delete") continue;
    for (const id of c.desired?.idpIdentifiers ?? []) claimedBy.set(id, c.key.providerName);
  }
  const deletes: WriteStep[] = [];
  const releases: WriteStep[] = [];
  const updates: WriteStep[] = [];
  const creates: WriteStep[] = [];
  for (const change of changes) {
    switch (change.action) {
      case "delete":
        deletes.push({ kind: "delete", change });
        break;
      case "replace":
        deletes.push({ kind: "delete", change });
        creates.push({ kind: "create", change });
        break;
      case "create":
        creates.push({ kind: "create", change });
        break;
      case "update": {
        const held = change.live?.idpIdentifiers ?? [];
        const givesAway = held.some((id) => {
          const claimer = claimedBy.get(id);
          return claimer !== undefined && claimer !== change.key.providerName;
        });
        if (givesAway) {
          releases.push({ kind: "release", change, keepIdentifiers: (change.desired?.idpIdentifiers ?? []).filter((id) => held.includes(id)) });
        }
        updates.push({ kind: "update", change });
        break;
      }
    }
  }
  return [...deletes, ...releases, ...updates, ...creates];
}
