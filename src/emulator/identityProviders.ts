// The identity-provider operations, with the service's validation order: model constraints, then the
// pool lookup, then semantic rules (cognito-behaviour.md §1.4, §3, §4). Per-type behaviour comes from
// the shared key table in src/core/providerTypes.ts.
import { createHash } from "node:crypto";
import { PROVIDER_RULES, PROVIDER_TYPES, UNVERIFIED_CHOICES, acceptedInputKeys, isProviderType, type ProviderType } from "../core/providerTypes.js";
import { CONSTRAINTS } from "../core/serviceConstraints.js";
import { ServiceError, invalidParameter, notFound } from "./errors.js";
import { bindingsFromUrl, parseMetadata } from "./samlMetadata.js";
import type { StoredPool, StoredProvider } from "./store.js";
import { ConstraintChecker } from "./validation.js";

export type Json = Record<string, unknown>;

export interface PoolDirectory {
  find(id: string): StoredPool | undefined;
  now(): number;
  changed(): void;
}

/** §3.7: the standard attributes a mapping may target (besides custom:<name> and username). */
export const STANDARD_ATTRIBUTES = [
  "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website",
  "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale", "phone_number", "phone_number_verified", "address", "updated_at",
];

function poolOrThrow(dir: PoolDirectory, id: string): StoredPool {
  const pool = dir.find(id);
  if (!pool) throw notFound(`User pool ${id} does not exist.`);
  return pool;
}

function providerOrThrow(pool: StoredPool, name: string): StoredProvider {
  const p = pool.Providers.find((x) => x.ProviderName === name);
  if (!p) throw notFound(`Identity provider ${name} does not exist.`);
  return p;
}

function checkCommon(c: ConstraintChecker, input: Json): void {
  if (c.required(input["UserPoolId"], "userPoolId")) c.string(input["UserPoolId"], "userPoolId", CONSTRAINTS.userPoolId);
}

function checkBody(c: ConstraintChecker, input: Json): void {
  c.stringMap(input["ProviderDetails"], "providerDetails", {});
  c.stringMap(input["AttributeMapping"], "attributeMapping", CONSTRAINTS.attributeMappingKey);
  c.list(input["IdpIdentifiers"], "idpIdentifiers", CONSTRAINTS.idpIdentifiersMaxItems, CONSTRAINTS.idpIdentifier);
  c.stringMap(input["AcrMapping"], "acrMapping", {});
}

function reserved(name: string): boolean {
  return UNVERIFIED_CHOICES.reservedNames.includes(name.toLowerCase());
}

/** §3.1/§3.2: ProviderDetails is validated as a fresh input on create and on every update that sends it. */
function validateDetails(type: ProviderType, details: Record<string, string>): void {
  const rules = PROVIDER_RULES[type];
  const accepted = acceptedInputKeys(type);
  for (const key of Object.keys(details)) {
    if (!accepted.has(key)) throw invalidParameter(`${key} is not a valid key for ${type} identity provider details.`);
  }
  if (type === "SAML") {
    const hasUrl = details["MetadataURL"] !== undefined;
    const hasFile = details["MetadataFile"] !== undefined;
    if (!hasUrl && !hasFile) throw invalidParameter(rules.requiredMessage);
    if (hasUrl && hasFile && UNVERIFIED_CHOICES.samlRejectsBothMetadata) throw invalidParameter("Only one of MetadataURL or MetadataFile can be provided.");
    if (hasFile) parseMetadata(details["MetadataFile"] as string);
    else bindingsFromUrl(details["MetadataURL"] as string);
    return;
  }
  if (rules.required.some((k) => details[k] === undefined || details[k] === "")) throw invalidParameter(rules.requiredMessage);
}

function validateMapping(type: ProviderType, pool: StoredPool, mapping: Record<string, string> | undefined): void {
  if (!mapping) return;
  const allowed = new Set([...STANDARD_ATTRIBUTES, ...pool.CustomAttributes.map((n) => `custom:${n}`)]);
  if (type !== "SAML") allowed.add("username");
  const bad = Object.keys(mapping).filter((k) => !allowed.has(k));
  if (bad.length > 0) throw invalidParameter(`AttributeMapping contains invalid mapping: [${bad.join(", ")}]`);
}

function validateAcr(type: ProviderType, acr: unknown): void {
  if (acr !== undefined && UNVERIFIED_CHOICES.acrMappingOidcOnly && type !== "OIDC") throw invalidParameter("AcrMapping is only supported for OIDC identity providers.");
}

/** §3.6: identifiers are unique within a user pool. */
function validateIdentifiers(pool: StoredPool, name: string, identifiers: readonly string[]): void {
  const seen = new Set<string>();
  for (const id of identifiers) {
    if (seen.has(id)) throw invalidParameter(`Duplicate identifier ${id} in IdpIdentifiers.`);
    seen.add(id);
    const owner = pool.Providers.find((p) => p.ProviderName !== name && p.IdpIdentifiers.includes(id));
    if (owner) throw new ServiceError(UNVERIFIED_CHOICES.duplicateIdentifierError, `Identifier ${id} is already used by identity provider ${owner.ProviderName} in user pool ${pool.Id}.`);
  }
}

/** §4.7: the service adds `username` -> the type's default claim when the caller leaves it out. */
function withDefaultUsername(type: ProviderType, mapping: Record<string, string> | undefined): Record<string, string> {
  const claim = PROVIDER_RULES[type].defaultUsernameClaim;
  const out = { ...(mapping ?? {}) };
  if (claim === undefined || out["username"] !== undefined) return out;
  if (UNVERIFIED_CHOICES.defaultUsernameMapping === "merge" || mapping === undefined) out["username"] = claim;
  return out;
}

/** A stand-in for the certificate AWS generates and rotates (§4.6, §8.3): changes with each write. */
function encryptionCertificate(pool: StoredPool, p: StoredProvider): string {
  const digest = createHash("sha256").update(`${pool.Id}/${p.ProviderName}/${p.CreationDate}`).digest("base64");
  return `MIIC${digest.replace(/[^A-Za-z0-9]/g, "").slice(0, 40)}EMULATOR`;
}

/** §4: what Describe returns: derived keys added, user values kept, write-only keys left out. */
export function describeRecord(pool: StoredPool, p: StoredProvider): Json {
  const rules = PROVIDER_RULES[p.ProviderType];
  const input = p.ProviderDetails;
  const details: Record<string, string> = UNVERIFIED_CHOICES.derivedKeysHonourUserValues ? { ...rules.derive(input), ...input } : { ...input, ...rules.derive(input) };
  if (p.ProviderType === "SAML") {
    const b = input["MetadataFile"] !== undefined ? parseMetadata(input["MetadataFile"]) : bindingsFromUrl(input["MetadataURL"] ?? "");
    details["SSORedirectBindingURI"] ??= b.sso;
    if (b.slo !== undefined) details["SLORedirectBindingURI"] ??= b.slo;
    details["ActiveEncryptionCertificate"] = encryptionCertificate(pool, p);
  }
  for (const k of rules.writeOnly) delete details[k];
  return {
    UserPoolId: pool.Id,
    ProviderName: p.ProviderName,
    ProviderType: p.ProviderType,
    ProviderDetails: details,
    AttributeMapping: { ...p.AttributeMapping },
    IdpIdentifiers: [...p.IdpIdentifiers],
    ...(p.AcrMapping ? { AcrMapping: { ...p.AcrMapping } } : {}),
    LastModifiedDate: p.LastModifiedDate,
    CreationDate: p.CreationDate,
  };
}

export function createIdentityProvider(dir: PoolDirectory, input: Json): Json {
  const c = new ConstraintChecker();
  checkCommon(c, input);
  if (c.required(input["ProviderName"], "providerName")) c.string(input["ProviderName"], "providerName", CONSTRAINTS.providerNameCreate);
  if (c.required(input["ProviderType"], "providerType")) c.enumValue(input["ProviderType"], "providerType", PROVIDER_TYPES);
  c.required(input["ProviderDetails"], "providerDetails");
  checkBody(c, input);
  c.done();
  const pool = poolOrThrow(dir, input["UserPoolId"] as string);
  const name = input["ProviderName"] as string;
  const type = input["ProviderType"] as string;
  if (!isProviderType(type)) throw invalidParameter(`Invalid ProviderType ${type}.`);
  if (reserved(name)) throw invalidParameter(`${name} is a reserved provider name.`);
  if (PROVIDER_RULES[type].nameMustEqualType && name !== type) throw invalidParameter(`Provider ${name} cannot be of type ${type}.`);
  const details = { ...(input["ProviderDetails"] as Record<string, string>) };
  validateDetails(type, details);
  const mapping = input["AttributeMapping"] as Record<string, string> | undefined;
  validateMapping(type, pool, mapping);
  validateAcr(type, input["AcrMapping"]);
  if (pool.Providers.some((p) => p.ProviderName === name)) throw new ServiceError("DuplicateProviderException", `${name} already exists in user pool ${pool.Id}`);
  const identifiers = [...((input["IdpIdentifiers"] as string[] | undefined) ?? [])];
  validateIdentifiers(pool, name, identifiers);
  if (pool.Providers.length >= CONSTRAINTS.providersPerPool) {
    throw new ServiceError("LimitExceededException", `The maximum number of identity providers (${CONSTRAINTS.providersPerPool}) for user pool ${pool.Id} has been reached.`);
  }
  const now = dir.now();
  const stored: StoredProvider = {
    ProviderName: name,
    ProviderType: type,
    ProviderDetails: details,
    AttributeMapping: withDefaultUsername(type, mapping),
    IdpIdentifiers: identifiers,
    AcrMapping: input["AcrMapping"] ? { ...(input["AcrMapping"] as Record<string, string>) } : undefined,
    CreationDate: now,
    LastModifiedDate: now,
    Revision: 1,
  };
  pool.Providers.push(stored);
  dir.changed();
  return { IdentityProvider: describeRecord(pool, stored) };
}

function checkNameOp(input: Json): ConstraintChecker {
  const c = new ConstraintChecker();
  checkCommon(c, input);
  if (c.required(input["ProviderName"], "providerName")) c.string(input["ProviderName"], "providerName", CONSTRAINTS.providerName);
  return c;
}

export function updateIdentityProvider(dir: PoolDirectory, input: Json): Json {
  const c = checkNameOp(input);
  checkBody(c, input);
  c.done();
  const pool = poolOrThrow(dir, input["UserPoolId"] as string);
  const name = input["ProviderName"] as string;
  if (reserved(name)) throw new ServiceError("UnsupportedIdentityProviderException", `Identity provider ${name} is not supported.`);
  const p = providerOrThrow(pool, name);
  const details = input["ProviderDetails"] as Record<string, string> | undefined;
  if (details !== undefined) validateDetails(p.ProviderType, details);
  const mapping = input["AttributeMapping"] as Record<string, string> | undefined;
  validateMapping(p.ProviderType, pool, mapping);
  validateAcr(p.ProviderType, input["AcrMapping"]);
  const identifiers = input["IdpIdentifiers"] as string[] | undefined;
  if (identifiers !== undefined) validateIdentifiers(pool, name, identifiers);
  // §3.2: each member that is sent replaces the stored value whole; members left out are unchanged.
  if (details !== undefined) p.ProviderDetails = { ...details };
  if (mapping !== undefined) p.AttributeMapping = withDefaultUsername(p.ProviderType, mapping);
  if (identifiers !== undefined) p.IdpIdentifiers = [...identifiers];
  if (input["AcrMapping"] !== undefined) p.AcrMapping = { ...(input["AcrMapping"] as Record<string, string>) };
  p.LastModifiedDate = Math.max(dir.now(), p.LastModifiedDate + 0.001);
  p.Revision += 1;
  dir.changed();
  return { IdentityProvider: describeRecord(pool, p) };
}

export function describeIdentityProvider(dir: PoolDirectory, input: Json): Json {
  checkNameOp(input).done();
  const pool = poolOrThrow(dir, input["UserPoolId"] as string);
  return { IdentityProvider: describeRecord(pool, providerOrThrow(pool, input["ProviderName"] as string)) };
}

export function deleteIdentityProvider(dir: PoolDirectory, input: Json): Json {
  checkNameOp(input).done();
  const pool = poolOrThrow(dir, input["UserPoolId"] as string);
  const name = input["ProviderName"] as string;
  if (reserved(name)) throw new ServiceError("UnsupportedIdentityProviderException", `Identity provider ${name} is not supported.`);
  providerOrThrow(pool, name);
  pool.Providers = pool.Providers.filter((p) => p.ProviderName !== name);
  dir.changed();
  return {};
}

export function getIdentityProviderByIdentifier(dir: PoolDirectory, input: Json): Json {
  const c = new ConstraintChecker();
  checkCommon(c, input);
  if (c.required(input["IdpIdentifier"], "idpIdentifier")) c.string(input["IdpIdentifier"], "idpIdentifier", CONSTRAINTS.idpIdentifier);
  c.done();
  const pool = poolOrThrow(dir, input["UserPoolId"] as string);
  const id = input["IdpIdentifier"] as string;
  const p = pool.Providers.find((x) => x.IdpIdentifiers.includes(id));
  if (!p) throw notFound(`Identity provider with identifier ${id} does not exist.`);
  return { IdentityProvider: describeRecord(pool, p) };
}

/** Opaque, pool-bound page tokens; anything else is rejected (§3.4). */
function encodeToken(poolId: string, offset: number): string {
  return Buffer.from(JSON.stringify({ p: poolId, o: offset })).toString("base64url");
}

function decodeToken(token: string, poolId: string): number {
  try {
    const t = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { p?: unknown; o?: unknown };
    if (t.p === poolId && typeof t.o === "number" && Number.isInteger(t.o) && t.o > 0) return t.o;
  } catch {
    // fall through
  }
  throw invalidParameter("Invalid pagination token.");
}

export function listIdentityProviders(dir: PoolDirectory, input: Json): Json {
  const c = new ConstraintChecker();
  checkCommon(c, input);
  c.integer(input["MaxResults"], "maxResults", 1, CONSTRAINTS.listMaxResults.max); // §3.4: 0 is rejected by the live service
  c.string(input["NextToken"], "nextToken", CONSTRAINTS.paginationKey);
  c.done();
  const pool = poolOrThrow(dir, input["UserPoolId"] as string);
  const max = (input["MaxResults"] as number | undefined) ?? UNVERIFIED_CHOICES.listDefaultMaxResults;
  const offset = input["NextToken"] !== undefined ? decodeToken(input["NextToken"] as string, pool.Id) : 0;
  const page = pool.Providers.slice(offset, offset + max);
  const next = offset + page.length;
  return {
    Providers: page.map((p) => ({ ProviderName: p.ProviderName, ProviderType: p.ProviderType, LastModifiedDate: p.LastModifiedDate, CreationDate: p.CreationDate })),
    ...(next < pool.Providers.length ? { NextToken: encodeToken(pool.Id, next) } : {}),
  };
}
