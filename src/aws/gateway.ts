// The only module that calls Cognito: every call goes through the rate limiter and the retry layer,
// and is reported to an observer (progress, metrics). Converts between SDK shapes and ours.
import {
  CreateIdentityProviderCommand,
  DeleteIdentityProviderCommand,
  DescribeIdentityProviderCommand,
  ListIdentityProvidersCommand,
  UpdateIdentityProviderCommand,
  type CognitoIdentityProviderClient,
  type IdentityProviderType,
  type ProviderDescription,
} from "@aws-sdk/client-cognito-identity-provider";
import { isProviderType } from "../core/providerTypes.js";
import type { DesiredProvider, LiveProvider, PoolRef, ProviderKey } from "../core/types.js";
import { RateLimiter, type Category } from "./rateLimiter.js";
import { DEFAULT_RETRY, errorName, isThrottle, withRetry, type AttemptFailure, type RetryOptions } from "./retry.js";

export interface CallEvent {
  readonly operation: string;
  readonly pool: string;
  /** "ok" or the error name (e.g. TooManyRequestsException). */
  readonly outcome: string;
  readonly durationMs: number;
  readonly attempt: number;
  readonly willRetry: boolean;
}

export type CallObserver = (event: CallEvent) => void;

export interface GatewayOptions {
  readonly clientFor: (region: string) => CognitoIdentityProviderClient;
  readonly limiter?: RateLimiter;
  readonly retry?: RetryOptions;
  readonly observe?: CallObserver;
}

/** §3.4/§8.9: always send MaxResults; 60 is the model's maximum. */
const PAGE_SIZE = 60;

export function toLiveProvider(pool: PoolRef, p: IdentityProviderType): LiveProvider {
  if (!isProviderType(p.ProviderType)) throw new Error(`Cognito returned an unknown ProviderType ${String(p.ProviderType)} for ${p.ProviderName}`);
  return {
    key: { region: pool.region, userPoolId: pool.userPoolId, providerName: p.ProviderName ?? "" },
    providerType: p.ProviderType,
    providerDetails: { ...(p.ProviderDetails ?? {}) },
    attributeMapping: p.AttributeMapping ? { ...p.AttributeMapping } : undefined,
    idpIdentifiers: p.IdpIdentifiers ? [...p.IdpIdentifiers] : undefined,
    acrMapping: p.AcrMapping ? { ...p.AcrMapping } : undefined,
    creationDate: p.CreationDate,
    lastModifiedDate: p.LastModifiedDate,
  };
}

/** The full desired record, as Create and Update take it (§8.1: whole values, secrets included, never read-only keys). */
function writeBody(d: DesiredProvider) {
  return {
    UserPoolId: d.key.userPoolId,
    ProviderName: d.key.providerName,
    ProviderDetails: { ...d.providerDetails },
    AttributeMapping: { ...(d.attributeMapping ?? {}) },
    IdpIdentifiers: [...(d.idpIdentifiers ?? [])],
    ...(d.acrMapping ? { AcrMapping: { ...d.acrMapping } } : {}),
  };
}

export class CognitoGateway {
  readonly #clientFor: (region: string) => CognitoIdentityProviderClient;
  readonly #limiter: RateLimiter;
  readonly #retry: RetryOptions;
  readonly #observe: CallObserver | undefined;

  constructor(options: GatewayOptions) {
    this.#clientFor = options.clientFor;
    this.#limiter = options.limiter ?? new RateLimiter();
    this.#retry = options.retry ?? DEFAULT_RETRY;
    this.#observe = options.observe;
  }

  async #call<T>(operation: string, category: Category, pool: PoolRef, send: () => Promise<T>): Promise<T> {
    const poolKey = `${pool.region}/${pool.userPoolId}`;
    let started = 0;
    const onFailure = (f: AttemptFailure) => {
      const outcome = errorName(f.error);
      if (isThrottle(outcome)) this.#limiter.throttled(category, poolKey);
      this.#observe?.({ operation, pool: poolKey, outcome, durationMs: Date.now() - started, attempt: f.attempt, willRetry: f.willRetry });
    };
    return withRetry(
      async (attempt) => {
        await this.#limiter.acquire(category, poolKey);
        started = Date.now();
        const result = await send();
        this.#limiter.succeeded(category, poolKey);
        this.#observe?.({ operation, pool: poolKey, outcome: "ok", durationMs: Date.now() - started, attempt, willRetry: false });
        return result;
      },
      this.#retry,
      onFailure,
    );
  }

  async listProviders(pool: PoolRef): Promise<ProviderDescription[]> {
    const client = this.#clientFor(pool.region);
    const out: ProviderDescription[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const page = await this.#call("ListIdentityProviders", "read", pool, () =>
        client.send(new ListIdentityProvidersCommand({ UserPoolId: pool.userPoolId, MaxResults: PAGE_SIZE, ...(token ? { NextToken: token } : {}) })),
      );
      out.push(...(page.Providers ?? []));
      token = page.NextToken || undefined;
      // §3.4: a repeated token would loop for ever (the JS paginator has no guard by default).
      if (token !== undefined) {
        if (seen.has(token)) throw new Error(`ListIdentityProviders returned the same NextToken twice for ${pool.userPoolId}`);
        seen.add(token);
      }
    } while (token !== undefined);
    return out;
  }

  async describeProvider(key: ProviderKey): Promise<LiveProvider> {
    const r = await this.#call("DescribeIdentityProvider", "read", key, () =>
      this.#clientFor(key.region).send(new DescribeIdentityProviderCommand({ UserPoolId: key.userPoolId, ProviderName: key.providerName })),
    );
    if (!r.IdentityProvider) throw new Error(`DescribeIdentityProvider returned no provider for ${key.providerName}`);
    return toLiveProvider(key, r.IdentityProvider);
  }

  async createProvider(d: DesiredProvider): Promise<void> {
    await this.#call("CreateIdentityProvider", "write", d.key, () =>
      this.#clientFor(d.key.region).send(new CreateIdentityProviderCommand({ ...writeBody(d), ProviderType: d.providerType })),
    );
  }

  async updateProvider(d: DesiredProvider): Promise<void> {
    await this.#call("UpdateIdentityProvider", "write", d.key, () => this.#clientFor(d.key.region).send(new UpdateIdentityProviderCommand(writeBody(d))));
  }

  async deleteProvider(key: ProviderKey): Promise<void> {
    await this.#call("DeleteIdentityProvider", "write", key, () =>
      this.#clientFor(key.region).send(new DeleteIdentityProviderCommand({ UserPoolId: key.userPoolId, ProviderName: key.providerName })),
    );
  }
}
