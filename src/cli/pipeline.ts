// The steps plan, apply and daemon share: load the config, read the live pools, compute the plan.
import type { Logger } from "pino";
import { loadDesired, type DesiredLoad } from "../config/loadDesired.js";
import { readLiveState, type PoolReadError } from "../aws/liveState.js";
import { computePlan, type Plan, type PlanOptions } from "../core/plan.js";
import { poolId, type DesiredState } from "../core/types.js";
import type { CallObserver } from "../aws/gateway.js";
import { connect, type Connection, type ConnectionOptions } from "./context.js";
import type { CliIO, Output } from "./io.js";
import { addMaskCommands, errorAnnotation, inGitHubActions } from "./github.js";

export interface CommonOptions extends ConnectionOptions {
  readonly config: string;
  readonly concurrency: number;
}

/** Loads and validates; on any problem prints every error and returns undefined (nothing is called). */
export function loadOrReport(options: { config: string }, io: CliIO, output: Output, log: Logger): DesiredLoad | undefined {
  const loaded = loadDesired(options.config, io.env, io.cwd);
  for (const s of loaded.secrets) output.secrets.add(s);
  const github = inGitHubActions(io.env);
  // The only place a secret is written: to the Actions runner, raw, so it masks it in every later line.
  if (github) io.stdout(addMaskCommands(loaded.secrets));
  if (loaded.errors.length > 0) {
    if (github) for (const e of loaded.located) output.out(errorAnnotation(e));
    for (const e of loaded.errors) output.err(`error: ${e}\n`);
    output.err(`${loaded.errors.length} error${loaded.errors.length === 1 ? "" : "s"} in ${options.config}; nothing was read or changed.\n`);
    return undefined;
  }
  log.debug({ files: loaded.fileCount, documents: loaded.documentCount, pools: loaded.state.pools.length }, "config loaded");
  return loaded;
}

export interface PlannedRun {
  readonly plan: Plan;
  readonly readErrors: PoolReadError[];
  readonly connection: Connection;
}

export async function planAgainstLive(
  desired: DesiredState,
  options: CommonOptions,
  planOptions: PlanOptions,
  log: Logger,
  observe?: CallObserver,
): Promise<PlannedRun> {
  const connection = await connect(options, desired, log, observe);
  try {
    log.info({ pools: desired.pools.length, providers: desired.providers.length }, "reading live identity providers");
    let lastLogged = 0;
    const live = await readLiveState(connection.gateway, desired.pools, options.concurrency, ({ pool, described, total }) => {
      // Progress on long reads, without a line per provider.
      if (total >= 20 && (described === total || Date.now() - lastLogged > 2000)) {
        lastLogged = Date.now();
        log.info({ pool, described, total }, "describing providers");
      }
    });
    for (const e of live.errors) log.error({ pool: poolId(e.pool) }, e.message);
    const plan = computePlan(desired, live.state, planOptions, live.errors);
    return { plan, readErrors: live.errors, connection };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
