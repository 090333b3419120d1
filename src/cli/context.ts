// Builds what a command needs to talk to Cognito: SDK clients per region (real AWS, any endpoint,
// or the embedded emulator started in-process with --local), the rate limiter and the gateway.
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { Logger } from "pino";
import { createCognitoClient } from "../aws/client.js";
import { CognitoGateway, type CallObserver } from "../aws/gateway.js";
import { RateLimiter, defaultRateLimits } from "../aws/rateLimiter.js";
import { DEFAULT_RETRY, type RetryOptions } from "../aws/retry.js";
import type { DesiredState } from "../core/types.js";

export interface ConnectionOptions {
  readonly endpoint?: string | undefined;
  readonly local?: boolean | undefined;
  readonly localState?: string | undefined;
  readonly region?: string | undefined;
  readonly rateScale?: number | undefined;
  readonly maxAttempts?: number | undefined;
  readonly maxRetryTimeMs?: number | undefined;
  readonly requestTimeoutMs?: number | undefined;
}

export interface Connection {
  readonly gateway: CognitoGateway;
  readonly endpoint: string | undefined;
  close(): Promise<void>;
}

/** Custom attributes the config maps to, so --local pools accept those AttributeMapping keys. */
function customAttributesOf(desired: DesiredState, userPoolId: string): string[] {
  const names = new Set<string>();
  for (const p of desired.providers) {
    if (p.key.userPoolId !== userPoolId) continue;
    for (const k of Object.keys(p.attributeMapping ?? {})) if (k.startsWith("custom:")) names.add(k.slice("custom:".length));
  }
  return [...names].sort();
}

export async function connect(options: ConnectionOptions, desired: DesiredState, log: Logger, observe?: CallObserver): Promise<Connection> {
  let endpoint = options.endpoint;
  let stopLocal: (() => Promise<void>) | undefined;
  if (options.local) {
    const { startEmulator } = await import("../emulator/index.js");
    const emulator = await startEmulator({ port: 0, ...(options.localState ? { statePath: options.localState } : {}) });
    for (const pool of desired.pools) {
      await emulator.ensureUserPool({ id: pool.userPoolId, name: pool.userPoolId, customAttributes: customAttributesOf(desired, pool.userPoolId) });
    }
    endpoint = emulator.url;
    stopLocal = () => emulator.close();
    log.info({ endpoint, pools: desired.pools.length, state: options.localState ?? "(in memory)" }, "started the embedded Cognito emulator");
  }
  const clients = new Map<string, CognitoIdentityProviderClient>();
  const clientFor = (region: string) => {
    const r = options.region ?? region;
    let c = clients.get(r);
    if (!c) {
      c = createCognitoClient({ region: r, endpoint, requestTimeoutMs: options.requestTimeoutMs });
      clients.set(r, c);
    }
    return c;
  };
  const retry: RetryOptions = {
    ...DEFAULT_RETRY,
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.maxRetryTimeMs !== undefined ? { maxTotalMs: options.maxRetryTimeMs } : {}),
  };
  const gateway = new CognitoGateway({ clientFor, limiter: new RateLimiter(defaultRateLimits(options.rateScale ?? 1)), retry, ...(observe ? { observe } : {}) });
  return {
    gateway,
    endpoint,
    close: async () => {
      for (const c of clients.values()) c.destroy();
      await stopLocal?.();
    },
  };
}
