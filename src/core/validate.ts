// Documents -> DesiredState: the JSON Schema (ajv), then the rules that span documents, then secret
// references. Every problem is collected (not just the first) and located at file:line:col.
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import type { LoadedDocument } from "./load.js";
import { PROVIDER_RULES, UNVERIFIED_CHOICES, acceptedInputKeys, isProviderType, type ProviderType } from "./providerTypes.js";
import { readMetadata } from "./samlMetadata.js";
import { IDENTITY_PROVIDER_SCHEMA } from "./schema.js";
import { hasReference, resolveValue, type SecretSource } from "./secrets.js";
import { CONSTRAINTS, regionOfPoolId } from "./serviceConstraints.js";
import {
  formatLocatedError,
  poolId,
  providerId,
  type DesiredProvider,
  type DesiredState,
  type LocatedError,
  type PoolRef,
} from "./types.js";

export interface ValidationResult {
  readonly state: DesiredState;
  readonly errors: LocatedError[];
  /** Every resolved secret value, for the shell's masking registry. */
  readonly secrets: string[];
}

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
const validateSchema = ajv.compile(IDENTITY_PROVIDER_SCHEMA);

function pathSegments(instancePath: string): string[] {
  return instancePath === "" ? [] : instancePath.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function typeOf(data: unknown): ProviderType | undefined {
  const t = (data as { ProviderType?: unknown } | null)?.ProviderType;
  return isProviderType(t) ? t : undefined;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a mapping" : `a ${typeof value}`;
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let node: unknown = data;
  for (const seg of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}

/** Turns ajv's errors into messages a user can act on; values are never echoed (they may be secret). */
function schemaErrors(doc: LoadedDocument, errors: readonly ErrorObject[]): LocatedError[] {
  const out: LocatedError[] = [];
  const seen = new Set<string>();
  const type = typeOf(doc.data);
  const push = (path: string[], message: string, atKey = false): void => {
    const key = `${path.join(".")}|${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ location: doc.locate(path, atKey), path: path.join("."), message });
  };
  for (const e of errors) {
    if (e.keyword === "if" || e.schemaPath.includes("/oneOf/")) continue;
    const path = pathSegments(e.instancePath);
    const field = path[0];
    const propertyName = (e as ErrorObject & { propertyName?: string }).propertyName;
    switch (e.keyword) {
      case "required": {
        const missing = String((e.params as { missingProperty: string }).missingProperty);
        const what = field === "ProviderDetails" && type ? ` for a ${type} provider` : "";
        push(path, `missing required key ${missing}${what}`, path.length > 0);
        break;
      }
      case "additionalProperties": {
        const extra = String((e.params as { additionalProperty: string }).additionalProperty);
        const allowed = Object.keys(IDENTITY_PROVIDER_SCHEMA["properties"] as object).join(", ");
        push([...path, extra], `unknown key ${extra} (allowed: ${allowed})`, true);
        break;
      }
      case "propertyNames":
        break; // reported through the inner error, which carries the property name
      case "enum":
        if (propertyName !== undefined && field === "ProviderDetails" && type) {
          const allowed = [...acceptedInputKeys(type)].sort().join(", ");
          const readOnly = PROVIDER_RULES[type].readOnly.includes(propertyName) ? " (it is read-only: Cognito sets it)" : "";
          push([...path, propertyName], `${propertyName} is not a valid key for ${type} identity provider details${readOnly}; allowed: ${allowed}`, true);
        } else if (propertyName !== undefined) {
          push([...path, propertyName], `${propertyName} is not allowed here; allowed: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`, true);
        } else {
          push(path, `must be one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`);
        }
        break;
      case "const":
        if (field === "ProviderName" && type) push(path, `a ${type} provider must be named ${type} (Cognito: "Provider cannot be of type ${type}")`);
        else push(path, `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`);
        break;
      case "false schema":
        if (field === "AcrMapping") push(path, "AcrMapping is only supported for OIDC providers", true);
        else push(path, "is not allowed here", true);
        break;
      case "oneOf":
        if (field === "ProviderDetails") push(path, "a SAML provider needs exactly one of MetadataURL or MetadataFile");
        else push(path, "does not match any allowed form");
        break;
      case "type": {
        const expected = String((e.params as { type: string }).type);
        const actual = describe(valueAt(doc.data, path));
        const hint = expected === "string" && /number|boolean/.test(actual) ? " (quote the value in YAML)" : "";
        push(path, `must be a ${expected === "object" ? "mapping" : expected === "array" ? "list" : expected}, not ${actual}${hint}`);
        break;
      }
      case "pattern": {
        const pattern = String((e.params as { pattern: string }).pattern);
        if (propertyName !== undefined) push([...path, propertyName], `key does not match ${pattern}`, true);
        else if (field === "ProviderName")
          push(path, `does not match the pattern Cognito requires for new providers ${pattern} (at least 3 characters, no spaces, "_" only as the 2nd character)`);
        else push(path, `does not match the pattern Cognito requires: ${pattern}`);
        break;
      }
      case "minLength":
      case "maxLength": {
        const limit = (e.params as { limit: number }).limit;
        const where = propertyName !== undefined ? [...path, propertyName] : path;
        const what = propertyName !== undefined ? "key" : "value";
        push(where, `${what} must have ${e.keyword === "minLength" ? "at least" : "at most"} ${limit} characters`, propertyName !== undefined);
        break;
      }
      case "maxItems":
        push(path, `must have at most ${(e.params as { limit: number }).limit} items`);
        break;
      case "uniqueItems":
        {
          const { i, j } = e.params as { i: number; j: number };
          push(path, `must not repeat an item (items ${Math.min(i, j)} and ${Math.max(i, j)} are the same)`);
        }
        break;
      default:
        push(path, e.message ?? `fails ${e.keyword}`);
    }
  }
  return out;
}

interface Candidate {
  readonly doc: LoadedDocument;
  readonly provider: DesiredProvider;
}

function stringMap(value: unknown): Record<string, string> | undefined {
  return value === undefined || value === null ? undefined : { ...(value as Record<string, string>) };
}

/** Secret references belong in ProviderDetails values only; anywhere else they would be sent literally. */
function misplacedReferences(doc: LoadedDocument, data: Record<string, unknown>): LocatedError[] {
  const out: LocatedError[] = [];
  const visit = (value: unknown, path: string[]): void => {
    if (typeof value === "string") {
      if (hasReference(value) && !(path[0] === "ProviderDetails" && path.length === 2))
        out.push({ location: doc.locate(path), path: path.join("."), message: "secret references (${env:...}, ${file:...}) are only allowed in ProviderDetails values" });
    } else if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, String(i)]));
    else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (hasReference(k)) out.push({ location: doc.locate([...path, k], true), path: [...path, k].join("."), message: "secret references are not allowed in keys" });
        visit(v, [...path, k]);
      }
    }
  };
  visit(data, []);
  return out;
}

function toCandidate(doc: LoadedDocument, source: SecretSource, secrets: string[], errors: LocatedError[]): Candidate | undefined {
  const data = doc.data as Record<string, unknown>;
  const type = data["ProviderType"] as ProviderType;
  const userPoolId = data["UserPoolId"] as string;
  const providerName = data["ProviderName"] as string;
  const poolRegion = regionOfPoolId(userPoolId);
  const region = (data["Region"] as string | undefined) ?? poolRegion;
  let ok = true;
  if (region === undefined) {
    errors.push({ location: doc.locate(["UserPoolId"]), path: "UserPoolId", message: "has no region prefix; set Region" });
    return undefined;
  }
  if (data["Region"] !== undefined && poolRegion !== undefined && poolRegion !== region) {
    errors.push({ location: doc.locate(["Region"]), path: "Region", message: `${region} does not match the region of UserPoolId (${poolRegion})` });
    ok = false;
  }
  if (UNVERIFIED_CHOICES.reservedNames.includes(providerName.toLowerCase())) {
    errors.push({ location: doc.locate(["ProviderName"]), path: "ProviderName", message: `${providerName} is reserved for the user pool's own directory` });
    ok = false;
  }
  const misplaced = misplacedReferences(doc, data);
  errors.push(...misplaced);
  if (misplaced.length > 0) ok = false;

  const details: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [k, raw] of Object.entries(data["ProviderDetails"] as Record<string, string>)) {
    const r = resolveValue(raw, doc.file, source);
    if (!r.ok) {
      errors.push({ location: doc.locate(["ProviderDetails", k]), path: `ProviderDetails.${k}`, message: r.message });
      ok = false;
      continue;
    }
    if (r.secret) {
      secretKeys.push(k);
      secrets.push(r.value);
    }
    if (r.value.length > CONSTRAINTS.stringValue.max) {
      errors.push({ location: doc.locate(["ProviderDetails", k]), path: `ProviderDetails.${k}`, message: `resolved value is longer than ${CONSTRAINTS.stringValue.max} characters` });
      ok = false;
    }
    details[k] = r.value;
  }
  // Cognito refuses metadata it cannot read; say so here, at the document, before any API call.
  if (type === "SAML" && details["MetadataFile"] !== undefined && ok) {
    const metadata = readMetadata(details["MetadataFile"]);
    if (!metadata.ok) {
      errors.push({ location: doc.locate(["ProviderDetails", "MetadataFile"]), path: "ProviderDetails.MetadataFile", message: `not usable SAML metadata: ${metadata.message}` });
      ok = false;
    }
  }
  if (!ok) return undefined;
  return {
    doc,
    provider: {
      key: { region, userPoolId, providerName },
      source: doc.location,
      providerType: type,
      providerDetails: details,
      attributeMapping: stringMap(data["AttributeMapping"]),
      idpIdentifiers: data["IdpIdentifiers"] === undefined ? undefined : [...(data["IdpIdentifiers"] as string[])],
      acrMapping: stringMap(data["AcrMapping"]),
      secretKeys,
    },
  };
}

function at(doc: LoadedDocument): string {
  return formatLocatedError({ location: doc.location, path: "", message: "" }).replace(/: $/, "");
}

/** Rules that need more than one document: identity, identifiers per pool, providers per pool. */
function crossDocumentErrors(candidates: readonly Candidate[]): LocatedError[] {
  const errors: LocatedError[] = [];
  const byId = new Map<string, Candidate>();
  const identifiers = new Map<string, { c: Candidate; index: number }>();
  const perPool = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const id = providerId(c.provider.key);
    const first = byId.get(id);
    if (first) {
      errors.push({
        location: c.doc.locate(["ProviderName"]),
        path: "ProviderName",
        message: `provider ${c.provider.key.providerName} in user pool ${c.provider.key.userPoolId} is already declared at ${at(first.doc)}`,
      });
      continue;
    }
    byId.set(id, c);
    const pool = poolId(c.provider.key);
    perPool.set(pool, [...(perPool.get(pool) ?? []), c]);
    (c.provider.idpIdentifiers ?? []).forEach((identifier, index) => {
      const k = `${pool}\u0000${identifier}`;
      const prior = identifiers.get(k);
      if (prior) {
        errors.push({
          location: c.doc.locate(["IdpIdentifiers", index]),
          path: `IdpIdentifiers.${index}`,
          message: `identifier ${JSON.stringify(identifier)} is already used by provider ${prior.c.provider.key.providerName} (${at(prior.c.doc)}); identifiers must be unique within a user pool`,
        });
      } else identifiers.set(k, { c, index });
    });
  }
  for (const [pool, list] of perPool) {
    if (list.length > CONSTRAINTS.providersPerPool) {
      const c = list[CONSTRAINTS.providersPerPool] as Candidate;
      errors.push({ location: c.doc.location, path: "", message: `user pool ${pool} would have ${list.length} providers; Cognito allows ${CONSTRAINTS.providersPerPool} per pool` });
    }
  }
  return errors;
}

export function validateDocuments(documents: readonly LoadedDocument[], source: SecretSource): ValidationResult {
  const errors: LocatedError[] = [];
  const secrets: string[] = [];
  const candidates: Candidate[] = [];
  for (const doc of documents) {
    if (doc.data === null || typeof doc.data !== "object" || Array.isArray(doc.data)) {
      errors.push({ location: doc.location, path: "", message: `a document must be a mapping (one identity provider), not ${describe(doc.data)}` });
      continue;
    }
    if (!validateSchema(doc.data)) {
      errors.push(...schemaErrors(doc, validateSchema.errors ?? []));
      continue;
    }
    const c = toCandidate(doc, source, secrets, errors);
    if (c) candidates.push(c);
  }
  errors.push(...crossDocumentErrors(candidates));
  const pools = new Map<string, PoolRef>();
  for (const c of candidates) pools.set(poolId(c.provider.key), { region: c.provider.key.region, userPoolId: c.provider.key.userPoolId });
  errors.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.col - b.location.col);
  return {
    state: { providers: candidates.map((c) => c.provider), pools: [...pools.values()] },
    errors,
    secrets,
  };
}
