// Both sides of the diff are brought to one canonical form, then compared with plain equality (the
// external-dns plan/ approach). What Cognito adds or never returns is removed here, by the key table.
import { ALWAYS_SENSITIVE_KEYS, rulesFor, type ProviderType } from "./providerTypes.js";
import type { DesiredProvider, ProviderSpec } from "./types.js";

export interface CanonicalProvider {
  readonly providerType: ProviderType;
  readonly providerDetails: Readonly<Record<string, string>>;
  readonly attributeMapping: Readonly<Record<string, string>>;
  /** Compared as a set (design.md): sorted, without repeats. */
  readonly idpIdentifiers: readonly string[];
  readonly acrMapping: Readonly<Record<string, string>>;
}

function sortedRecord(entries: Iterable<[string, string]>): Record<string, string> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The ProviderDetails keys that take part in the diff: the user-settable keys of the type plus any
 * key the user wrote, never the derived keys the user did not write (terraform-provider-aws#4831:
 * Cognito adds endpoint URLs on describe) and never write-only keys (Apple private_key, #13582).
 */
export function comparedDetailKeys(type: ProviderType, desired: ProviderSpec | undefined): Set<string> {
  const rules = rulesFor(type);
  const keys = new Set(rules.settable.filter((k) => !rules.derivedKeys.includes(k)));
  for (const k of Object.keys(desired?.providerDetails ?? {})) keys.add(k);
  for (const k of [...rules.writeOnly, ...rules.readOnly]) keys.delete(k);
  return keys;
}

export function isSensitiveKey(type: ProviderType, key: string, desired?: DesiredProvider): boolean {
  return ALWAYS_SENSITIVE_KEYS.includes(key) || rulesFor(type).sensitive.includes(key) || (desired?.secretKeys.includes(key) ?? false);
}

function canonical(spec: ProviderSpec, detailKeys: ReadonlySet<string>, mapping: Record<string, string>): CanonicalProvider {
  return {
    providerType: spec.providerType,
    providerDetails: sortedRecord(Object.entries(spec.providerDetails).filter(([k]) => detailKeys.has(k))),
    attributeMapping: sortedRecord(Object.entries(mapping)),
    idpIdentifiers: [...new Set(spec.idpIdentifiers ?? [])].sort(),
    acrMapping: sortedRecord(Object.entries(spec.acrMapping ?? {})),
  };
}

export function canonicalDesired(desired: DesiredProvider): CanonicalProvider {
  return canonical(desired, comparedDetailKeys(desired.providerType, desired), { ...(desired.attributeMapping ?? {}) });
}

/** The live side, seen through what the user declared (`desired` may be undefined for unmanaged ones). */
export function canonicalLive(live: ProviderSpec, desired: ProviderSpec | undefined): CanonicalProvider {
  const mapping: Record<string, string> = { ...(live.attributeMapping ?? {}) };
  // cognito-behaviour.md §4.7/§8.5: the service adds `username` -> default claim when the caller leaves
  // it out; that entry is the service's, not drift. Any other value for it is real drift.
  const defaultClaim = rulesFor(live.providerType).defaultUsernameClaim;
  if (desired && desired.providerType === live.providerType && desired.attributeMapping?.["username"] === undefined) {
    if (defaultClaim !== undefined && mapping["username"] === defaultClaim) delete mapping["username"];
  }
  return canonical(live, comparedDetailKeys(live.providerType, desired), mapping);
}
