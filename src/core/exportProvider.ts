// Live provider -> a YAML-ready document that loads, validates and plans with no changes: derived and
// read-only keys left out, the service's default username mapping left out, secrets replaced by
// ${env:NAME} references (never written in clear).
import { PROVIDER_RULES } from "./providerTypes.js";
import type { LiveProvider } from "./types.js";

export interface ExportedDocument {
  readonly fileName: string;
  readonly document: Record<string, unknown>;
  /** Environment variables the document references, with what each must hold. */
  readonly env: readonly { name: string; holds: string }[];
}

const envPart = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]+/g, "_").replace(/^_+|_+$/g, "");

export function envNameFor(live: LiveProvider, key: string): string {
  const poolSuffix = live.key.userPoolId.slice(live.key.userPoolId.indexOf("_") + 1);
  const name = [envPart(poolSuffix), envPart(live.key.providerName), envPart(key)].filter(Boolean).join("_");
  return /^[0-9]/.test(name) ? `IDP_${name}` : name;
}

/** Names already given out in one export: different providers may sanitise to the same name. */
interface ExportNames {
  readonly files: Set<string>;
  readonly env: Set<string>;
}

/**
 * `name`, or `name_2`, `name_3`, ... (before the extension) when it is taken. File names compare
 * without case, since `Corp.yaml` and `corp.yaml` are one file on macOS and Windows.
 */
function unique(name: string, taken: Set<string>, extension = "", foldCase = false): string {
  const keyOf = (s: string) => (foldCase ? s.toLowerCase() : s);
  let candidate = name + extension;
  for (let i = 2; taken.has(keyOf(candidate)); i++) candidate = `${name}_${i}${extension}`;
  taken.add(keyOf(candidate));
  return candidate;
}

/** Every provider of a pool; file and variable names are unique (e.g. `a-b` and `a_b` get different ones). */
export function exportPool(providers: readonly LiveProvider[]): ExportedDocument[] {
  const names: ExportNames = { files: new Set(), env: new Set() };
  return providers.map((p) => exportProvider(p, names));
}

function exportProvider(live: LiveProvider, names: ExportNames): ExportedDocument {
  const rules = PROVIDER_RULES[live.providerType];
  const userKeys = Object.fromEntries(Object.entries(live.providerDetails).filter(([k]) => rules.settable.includes(k) && !rules.derivedKeys.includes(k)));
  const defaults = rules.derive(userKeys);
  const details: Record<string, string> = {};
  const env: { name: string; holds: string }[] = [];
  for (const [k, v] of Object.entries(live.providerDetails).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (rules.readOnly.includes(k)) continue;
    // Derived keys at the service's value are Cognito's; SAML binding URIs come from the metadata.
    if (rules.derivedKeys.includes(k) && (defaults[k] === v || live.providerType === "SAML")) continue;
    if (rules.sensitive.includes(k) || k === "client_secret") {
      const name = unique(envNameFor(live, k), names.env);
      details[k] = `\${env:${name}}`;
      env.push({ name, holds: `${k} of ${live.key.providerName} in ${live.key.userPoolId}` });
    } else details[k] = v;
  }
  for (const k of rules.writeOnly) {
    const name = unique(envNameFor(live, k), names.env);
    details[k] = `\${env:${name}}`;
    env.push({ name, holds: `${k} of ${live.key.providerName} (write-only: Cognito never returns it, supply it yourself)` });
  }
  const mapping = { ...(live.attributeMapping ?? {}) };
  if (rules.defaultUsernameClaim !== undefined && mapping["username"] === rules.defaultUsernameClaim) delete mapping["username"];
  const document: Record<string, unknown> = {
    UserPoolId: live.key.userPoolId,
    ProviderName: live.key.providerName,
    ProviderType: live.providerType,
    ProviderDetails: details,
    ...(Object.keys(mapping).length > 0 ? { AttributeMapping: mapping } : {}),
    ...((live.idpIdentifiers ?? []).length > 0 ? { IdpIdentifiers: [...(live.idpIdentifiers ?? [])] } : {}),
    ...(live.acrMapping && Object.keys(live.acrMapping).length > 0 ? { AcrMapping: { ...live.acrMapping } } : {}),
  };
  // No leading dot: the loader skips hidden files (Kubernetes ..data), so the file would be ignored.
  const base = live.key.providerName.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^\.+/, "") || "provider";
  const fileName = unique(base, names.files, ".yaml", true);
  return { fileName, document, env };
}
