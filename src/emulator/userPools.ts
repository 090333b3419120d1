// The user-pool operations the tool and its tests need (cognito-behaviour.md §3.7).
import { randomBytes } from "node:crypto";
import { CONSTRAINTS } from "../core/serviceConstraints.js";
import { invalidParameter, notFound } from "./errors.js";
import { STANDARD_ATTRIBUTES, type Json } from "./identityProviders.js";
import type { EmulatorState, StoredPool } from "./store.js";
import { ConstraintChecker } from "./validation.js";

export const ACCOUNT_ID = "123456789012";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `<region>_<9 alphanumerics>`, the shape real ids have (§3.7). */
export function newPoolId(region: string): string {
  const bytes = randomBytes(9);
  return `${region}_${[...bytes].map((b) => ALNUM[b % ALNUM.length]).join("")}`;
}

export function makePool(id: string, name: string, customAttributes: readonly string[], now: number, deletionProtection: "ACTIVE" | "INACTIVE" = "INACTIVE"): StoredPool {
  const region = id.split("_")[0] ?? "us-east-1";
  return {
    Id: id,
    Name: name,
    Arn: `arn:aws:cognito-idp:${region}:${ACCOUNT_ID}:userpool/${id}`,
    CreationDate: now,
    LastModifiedDate: now,
    CustomAttributes: [...customAttributes],
    DeletionProtection: deletionProtection,
    Providers: [],
  };
}

function describePool(p: StoredPool): Json {
  return {
    Id: p.Id,
    Name: p.Name,
    Arn: p.Arn,
    Status: "Enabled",
    CreationDate: p.CreationDate,
    LastModifiedDate: p.LastModifiedDate,
    DeletionProtection: p.DeletionProtection,
    MfaConfiguration: "OFF",
    EstimatedNumberOfUsers: 0,
    SchemaAttributes: [
      { Name: "sub", AttributeDataType: "String", Mutable: false, Required: true },
      ...STANDARD_ATTRIBUTES.map((n) => ({ Name: n, AttributeDataType: n.endsWith("_verified") ? "Boolean" : n === "updated_at" ? "Number" : "String", Mutable: true, Required: false })),
      ...p.CustomAttributes.map((n) => ({ Name: `custom:${n}`, AttributeDataType: "String", Mutable: true, Required: false })),
    ],
  };
}

export function createUserPool(state: EmulatorState, input: Json, region: string, now: number): Json {
  const c = new ConstraintChecker();
  if (c.required(input["PoolName"], "poolName")) c.string(input["PoolName"], "poolName", CONSTRAINTS.poolName);
  c.enumValue(input["DeletionProtection"], "deletionProtection", ["ACTIVE", "INACTIVE"]);
  c.done();
  const schema = (input["Schema"] as { Name?: string }[] | undefined) ?? [];
  const custom = schema.map((a) => a.Name ?? "").filter((n) => n && !STANDARD_ATTRIBUTES.includes(n) && n !== "sub").map((n) => n.replace(/^custom:/, ""));
  const pool = makePool(newPoolId(region), input["PoolName"] as string, custom, now, (input["DeletionProtection"] as "ACTIVE" | "INACTIVE" | undefined) ?? "INACTIVE");
  state.pools.push(pool);
  return { UserPool: describePool(pool) };
}

function checkPoolId(input: Json): void {
  const c = new ConstraintChecker();
  if (c.required(input["UserPoolId"], "userPoolId")) c.string(input["UserPoolId"], "userPoolId", CONSTRAINTS.userPoolId);
  c.done();
}

function find(state: EmulatorState, id: string): StoredPool {
  const p = state.pools.find((x) => x.Id === id);
  if (!p) throw notFound(`User pool ${id} does not exist.`);
  return p;
}

export function describeUserPool(state: EmulatorState, input: Json): Json {
  checkPoolId(input);
  return { UserPool: describePool(find(state, input["UserPoolId"] as string)) };
}

export function deleteUserPool(state: EmulatorState, input: Json): Json {
  checkPoolId(input);
  const p = find(state, input["UserPoolId"] as string);
  if (p.DeletionProtection === "ACTIVE") {
    throw invalidParameter("The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.");
  }
  state.pools = state.pools.filter((x) => x !== p); // its identity providers go with it (§3.5)
  return {};
}

export function listUserPools(state: EmulatorState, input: Json): Json {
  const c = new ConstraintChecker();
  if (c.required(input["MaxResults"], "maxResults")) c.integer(input["MaxResults"], "maxResults", CONSTRAINTS.poolListMaxResults.min, CONSTRAINTS.poolListMaxResults.max);
  c.string(input["NextToken"], "nextToken", CONSTRAINTS.paginationKey);
  c.done();
  let offset = 0;
  if (input["NextToken"] !== undefined) {
    const raw = Buffer.from(input["NextToken"] as string, "base64url").toString("utf8");
    offset = /^pools:\d+$/.test(raw) ? Number(raw.slice(6)) : NaN;
    if (!Number.isInteger(offset) || offset <= 0) throw invalidParameter("Invalid pagination token.");
  }
  const max = input["MaxResults"] as number;
  const page = state.pools.slice(offset, offset + max);
  const next = offset + page.length;
  return {
    UserPools: page.map((p) => ({ Id: p.Id, Name: p.Name, Status: "Enabled", CreationDate: p.CreationDate, LastModifiedDate: p.LastModifiedDate })),
    ...(next < state.pools.length ? { NextToken: Buffer.from(`pools:${next}`).toString("base64url") } : {}),
  };
}
