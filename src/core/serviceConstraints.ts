// The service model's patterns and lengths (cognito-behaviour.md §2), written once for the emulator
// (which enforces them as the service does) and checked against schemas/identity-provider.schema.json
// by a unit test. Patterns are full-match, with Java's ASCII meaning of \w and \s (§0), so they are
// spelled out here rather than left to JavaScript's \w.

const W = "A-Za-z0-9_";
const S = " \\t\\n\\x0B\\f\\r";

export const CONSTRAINTS = {
  userPoolId: { min: 1, max: 55, pattern: `^[${W}-]+_[0-9a-zA-Z]+$` },
  /** ProviderNameTypeV2: CreateIdentityProvider input only (§2.2). */
  providerNameCreate: { min: 1, max: 32, pattern: "^[^_\\p{Z}][\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}][^_\\p{Z}]+$" },
  /** ProviderNameType: every other input and all outputs. */
  providerName: { min: 1, max: 32, pattern: "^[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\p{Z}]+$" },
  idpIdentifier: { min: 1, max: 40, pattern: `^[${W}${S}+=.@-]+$` },
  idpIdentifiersMaxItems: 50,
  attributeMappingKey: { min: 1, max: 32 },
  stringValue: { max: 131072 },
  listMaxResults: { min: 0, max: 60 },
  paginationKey: { min: 1, pattern: "^[\\S]+$" },
  poolName: { min: 1, max: 128, pattern: `^[${W}${S}+=,.@-]+$` },
  poolListMaxResults: { min: 1, max: 60 },
  /** §5: identity providers per user pool (adjustable quota L-1B44D826). */
  providersPerPool: 300,
} as const;

export function fullMatch(pattern: string, value: string): boolean {
  return new RegExp(pattern, "u").test(value);
}

/** Region from a user-pool id: `us-east-1_Example` -> `us-east-1` (design.md). */
export function regionOfPoolId(userPoolId: string): string | undefined {
  const i = userPoolId.indexOf("_");
  return i > 0 ? userPoolId.slice(0, i) : undefined;
}
