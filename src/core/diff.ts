// Per-key differences between two canonical providers. Values of sensitive keys are never kept:
// a diff says only that a secret changed, so no rendering can leak it.
import { isSensitiveKey, type CanonicalProvider } from "./normalise.js";
import type { DesiredProvider } from "./types.js";

export type DiffField = "ProviderDetails" | "AttributeMapping" | "IdpIdentifiers" | "AcrMapping";

export interface KeyDiff {
  readonly field: DiffField;
  /** The map key, or undefined for IdpIdentifiers (a set). */
  readonly key?: string | undefined;
  readonly action: "add" | "remove" | "change";
  readonly before?: string | readonly string[] | undefined;
  readonly after?: string | readonly string[] | undefined;
  readonly sensitive: boolean;
}

export function diffPath(d: KeyDiff): string {
  return d.key === undefined ? d.field : `${d.field}.${d.key}`;
}

function mapDiffs(
  field: DiffField,
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
  sensitive: (key: string) => boolean,
): KeyDiff[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const out: KeyDiff[] = [];
  for (const key of keys) {
    const b = before[key];
    const a = after[key];
    if (b === a) continue;
    const action = b === undefined ? "add" : a === undefined ? "remove" : "change";
    const hide = sensitive(key);
    out.push({ field, key, action, sensitive: hide, ...(hide ? {} : { before: b, after: a }) });
  }
  return out;
}

/** What would change if `live` were made to look like `desired` (both canonical). */
export function diffProviders(live: CanonicalProvider | undefined, desired: CanonicalProvider, source?: DesiredProvider): KeyDiff[] {
  const empty: Record<string, string> = {};
  const type = desired.providerType;
  const out = [
    ...mapDiffs("ProviderDetails", live?.providerDetails ?? empty, desired.providerDetails, (k) => isSensitiveKey(type, k, source)),
    ...mapDiffs("AttributeMapping", live?.attributeMapping ?? empty, desired.attributeMapping, () => false),
  ];
  const before = live?.idpIdentifiers ?? [];
  if (before.join("\u0000") !== desired.idpIdentifiers.join("\u0000")) {
    out.push({
      field: "IdpIdentifiers",
      action: before.length === 0 ? "add" : desired.idpIdentifiers.length === 0 ? "remove" : "change",
      before,
      after: desired.idpIdentifiers,
      sensitive: false,
    });
  }
  out.push(...mapDiffs("AcrMapping", live?.acrMapping ?? empty, desired.acrMapping, () => false));
  return out;
}
