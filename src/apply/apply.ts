// Plan -> ApplyResult. Writes to one pool are serial; pools proceed in parallel up to `concurrency`.
// One failing change or pool does not stop the others; each changed provider is described again
// afterwards and the change fails if it did not converge.
import { DuplicateProviderException, ResourceNotFoundException } from "@aws-sdk/client-cognito-identity-provider";
import equal from "fast-deep-equal";
import { canonicalDesired, canonicalLive } from "../core/normalise.js";
import type { Change, Plan } from "../core/plan.js";
import type { DesiredProvider } from "../core/types.js";
import type { CognitoGateway } from "../aws/gateway.js";
import { describeError } from "../aws/liveState.js";
import { mapConcurrent } from "../util/mapConcurrent.js";
import { diffProviders, diffPath } from "../core/diff.js";
import { writeSteps, type WriteStep } from "../core/writeSteps.js";

export type OutcomeStatus = "applied" | "failed" | "skipped";

export interface ChangeOutcome {
  readonly change: Change;
  readonly status: OutcomeStatus;
  readonly error?: string | undefined;
  /** Set when the create found the provider already there (a concurrent apply) and updated it. */
  readonly note?: string | undefined;
}

export interface ApplyResult {
  readonly outcomes: readonly ChangeOutcome[];
}

export interface ApplyOptions {
  readonly concurrency: number;
  /** Once aborted, no new write starts; the one in flight finishes (design.md, SIGTERM). */
  readonly signal?: AbortSignal | undefined;
  readonly onOutcome?: ((o: ChangeOutcome) => void) | undefined;
  readonly onStart?: ((c: Change) => void) | undefined;
}

async function createOrAdopt(gateway: CognitoGateway, d: DesiredProvider): Promise<string | undefined> {
  try {
    await gateway.createProvider(d);
    return undefined;
  } catch (error) {
    // §8.1: a create race (another apply got there first): describe, then update to our desired state.
    if (!(error instanceof DuplicateProviderException)) throw error;
    // The same exception may name a taken identifier (§3.6, UNVERIFIED): then the provider is not there.
    const live = await gateway.describeProvider(d.key).catch((describeFailure: unknown) => {
      throw describeFailure instanceof ResourceNotFoundException ? error : describeFailure;
    });
    if (live.providerType !== d.providerType) throw new Error(`${d.key.providerName} already exists with type ${live.providerType}`, { cause: error });
    await gateway.updateProvider(d);
    return "already existed (created concurrently); updated instead";
  }
}

async function updateOrCreate(gateway: CognitoGateway, d: DesiredProvider): Promise<string | undefined> {
  try {
    await gateway.updateProvider(d);
    return undefined;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    // Deleted out of band since the plan was made: create it again.
    await gateway.createProvider(d);
    return "was deleted since the plan; created again";
  }
}

async function deleteIfPresent(gateway: CognitoGateway, c: Change): Promise<void> {
  try {
    await gateway.deleteProvider(c.key);
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error; // already gone: done (TF does the same)
  }
}

/** One write; a replace is two steps (its delete, then later its create). */
async function runStep(gateway: CognitoGateway, step: WriteStep): Promise<string | undefined> {
  const c = step.change;
  const d = c.desired as DesiredProvider;
  switch (step.kind) {
    case "delete":
      await deleteIfPresent(gateway, c);
      return undefined;
    case "release":
      await gateway.updateProvider({ ...d, idpIdentifiers: step.keepIdentifiers ?? [] });
      return undefined;
    case "update":
      return updateOrCreate(gateway, d);
    case "create":
      if (c.action !== "replace") return createOrAdopt(gateway, d);
      try {
        return await createOrAdopt(gateway, d);
      } catch (error) {
        throw new Error(`deleted the old ${c.live?.providerType} provider but could not create the new one; the next apply creates it: ${describeError(error)}`, {
          cause: error,
        });
      }
  }
}

/** Describe again and compare in canonical form; returns what still differs, if anything. */
async function verify(gateway: CognitoGateway, c: Change): Promise<string | undefined> {
  if (c.action === "delete") {
    try {
      await gateway.describeProvider(c.key);
      return "still exists after delete";
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }
  const d = c.desired as DesiredProvider;
  const live = await gateway.describeProvider(c.key);
  if (live.providerType !== d.providerType) return `has type ${live.providerType}, expected ${d.providerType}`;
  const want = canonicalDesired(d);
  const have = canonicalLive(live, d);
  if (equal(have, want)) return undefined;
  return `did not converge: ${diffProviders(have, want, d).map(diffPath).join(", ")} still differ`;
}

/** Carries out one pool's changes step by step (see writeSteps); returns outcomes in plan order. */
async function applyPool(changes: readonly Change[], gateway: CognitoGateway, options: ApplyOptions): Promise<ChangeOutcome[]> {
  const steps = writeSteps(changes);
  const lastStep = new Map<Change, number>();
  steps.forEach((s, i) => lastStep.set(s.change, i));
  const started = new Set<Change>();
  const notes = new Map<Change, string>();
  const done = new Map<Change, ChangeOutcome>();
  const finish = (outcome: ChangeOutcome) => {
    done.set(outcome.change, outcome);
    options.onOutcome?.(outcome);
  };
  for (const [i, step] of steps.entries()) {
    const change = step.change;
    if (done.has(change)) continue; // an earlier step of this change failed
    // Once aborted, no change starts; one already started (a replace's create) still finishes.
    if (options.signal?.aborted && !started.has(change)) {
      done.set(change, { change, status: "skipped", error: "stopped before this change (shutdown requested)" });
      continue;
    }
    if (!started.has(change)) {
      started.add(change);
      options.onStart?.(change);
    }
    try {
      const note = await runStep(gateway, step);
      if (note) notes.set(change, note);
    } catch (error) {
      finish({ change, status: "failed", error: describeError(error) });
      continue;
    }
    if (i !== lastStep.get(change)) continue;
    const note = notes.get(change);
    try {
      const problem = await verify(gateway, change);
      finish(problem ? { change, status: "failed", error: problem, note } : { change, status: "applied", note });
    } catch (error) {
      // The write went through; only reading it back failed. The next plan shows whether it holds.
      finish({ change, status: "failed", error: `written, but could not be read back to verify: ${describeError(error)}`, note });
    }
  }
  return changes.map((c) => done.get(c) as ChangeOutcome);
}

export async function applyPlan(plan: Plan, gateway: CognitoGateway, options: ApplyOptions): Promise<ApplyResult> {
  const pools = [...new Set(plan.changes.map((c) => c.pool))];
  const perPool = await mapConcurrent(pools, options.concurrency, (pool) =>
    applyPool(
      plan.changes.filter((c) => c.pool === pool),
      gateway,
      options,
    ),
  );
  return { outcomes: perPool.flat() };
}
