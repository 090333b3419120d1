// Reads what is live in the pools the config names: List (every page) then Describe each provider,
// since List carries no details (cognito-behaviour.md §3.4, §8.1).
import { ResourceNotFoundException } from "@aws-sdk/client-cognito-identity-provider";
import { poolId, type LivePool, type LiveState, type PoolRef } from "../core/types.js";
import { mapConcurrent } from "../util/mapConcurrent.js";
import type { CognitoGateway } from "./gateway.js";

export interface PoolReadError {
  readonly pool: PoolRef;
  readonly message: string;
}

export interface ReadLiveResult {
  readonly state: LiveState;
  readonly errors: PoolReadError[];
}

export interface ReadProgress {
  (event: { pool: string; described: number; total: number }): void;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name !== "Error" ? `${error.name}: ` : ""}${error.message}`;
  return String(error);
}

export async function readLiveState(
  gateway: CognitoGateway,
  pools: readonly PoolRef[],
  concurrency: number,
  progress?: ReadProgress,
): Promise<ReadLiveResult> {
  const errors: PoolReadError[] = [];
  const read = await mapConcurrent(pools, concurrency, async (pool): Promise<LivePool | undefined> => {
    try {
      const list = await gateway.listProviders(pool);
      let described = 0;
      // Describes within a pool share its 5 RPS read quota; the limiter spaces them.
      const providers = await mapConcurrent(list, 4, async (p) => {
        try {
          return await gateway.describeProvider({ ...pool, providerName: p.ProviderName ?? "" });
        } catch (error) {
          // Deleted between List and Describe: it is simply not live any more.
          if (error instanceof ResourceNotFoundException) return undefined;
          throw error;
        } finally {
          described++;
          progress?.({ pool: poolId(pool), described, total: list.length });
        }
      });
      return { ...pool, providers: providers.filter((p) => p !== undefined) };
    } catch (error) {
      const message =
        error instanceof ResourceNotFoundException
          ? `user pool ${pool.userPoolId} does not exist in ${pool.region} (${error.message})`
          : `cannot read user pool ${pool.userPoolId}: ${describeError(error)}`;
      errors.push({ pool, message });
      return undefined;
    }
  });
  return { state: { pools: read.filter((p): p is LivePool => p !== undefined) }, errors };
}
