import { describe, expect, it } from "vitest";
import { computePlan, DEFAULT_PLAN_OPTIONS, hasChanges, summarise } from "../../src/core/plan.js";
import { renderText } from "../../src/core/render/text.js";
import { PROVIDER_RULES } from "../../src/core/providerTypes.js";
import type { DesiredProvider, LiveProvider, ProviderSpec } from "../../src/core/types.js";

const pool = { region: "us-east-1", userPoolId: "us-east-1_Pool1" };
const src = { file: "c.yaml", line: 1, col: 1 };

function desired(name: string, spec: Partial<ProviderSpec> & Pick<ProviderSpec, "providerType" | "providerDetails">, secretKeys: string[] = []): DesiredProvider {
  return { key: { ...pool, providerName: name }, source: src, attributeMapping: undefined, idpIdentifiers: undefined, acrMapping: undefined, secretKeys, ...spec };
}

/** What Cognito returns for a desired record: derived keys added, write-only keys dropped, default username added. */
function asDescribed(d: DesiredProvider): LiveProvider {
  const rules = PROVIDER_RULES[d.providerType];
  const details = { ...rules.derive(d.providerDetails), ...d.providerDetails };
  for (const k of rules.writeOnly) delete details[k];
  const mapping = { ...(d.attributeMapping ?? {}) };
  if (rules.defaultUsernameClaim && mapping["username"] === undefined) mapping["username"] = rules.defaultUsernameClaim;
  return { key: d.key, providerType: d.providerType, providerDetails: details, attributeMapping: mapping, idpIdentifiers: [...(d.idpIdentifiers ?? [])].reverse(), acrMapping: undefined };
}

const google = desired("Google", {
  providerType: "Google",
  providerDetails: { client_id: "id-1", client_secret: "s3cret-value-1", authorize_scopes: "email openid" },
  attributeMapping: { email: "email" },
  idpIdentifiers: ["a", "b"],
});
const apple = desired("SignInWithApple", {
  providerType: "SignInWithApple",
  providerDetails: { client_id: "com.x", team_id: "T1", key_id: "K1", private_key: "pk-secret-value", authorize_scopes: "email" },
});
const saml = desired("corp", { providerType: "SAML", providerDetails: { MetadataURL: "https://idp.example.com/md" } });
const live = (...ps: LiveProvider[]) => ({ pools: [{ ...pool, providers: ps }] });
const state = (...ps: DesiredProvider[]) => ({ providers: ps, pools: [pool] });

describe("computePlan", () => {
  it("creates what is missing, in a stable order", () => {
    const plan = computePlan(state(google, apple), live());
    expect(plan.changes.map((c) => `${c.action} ${c.key.providerName}`)).toEqual(["create Google", "create SignInWithApple"]);
    expect(summarise(plan)).toEqual({ create: 2, update: 0, replace: 0, delete: 0, unchanged: 0, unmanaged: 0, blocked: 0, unread: 0 });
  });

  it("sees no change in what Cognito derives, the default username, identifier order or Apple's private_key", () => {
    const samlLive = asDescribed(saml);
    const withServiceKeys = { ...samlLive, providerDetails: { ...samlLive.providerDetails, ActiveEncryptionCertificate: "MIIC...", SSORedirectBindingURI: "https://idp/sso" } };
    const plan = computePlan(state(google, apple, saml), live(asDescribed(google), asDescribed(apple), withServiceKeys));
    expect(plan.changes).toEqual([]);
    expect(plan.noops.map((n) => n.key.providerName)).toEqual(["Google", "SignInWithApple", "corp"]);
    expect(hasChanges(plan)).toBe(false);
  });

  it("reports exactly the changed key, and a secret change without its value", () => {
    const changed = desired("Google", { ...google, providerDetails: { ...google.providerDetails, authorize_scopes: "email openid profile", client_secret: "new-secret-2" } });
    const plan = computePlan(state(changed), live(asDescribed(google)));
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]!.diffs).toEqual([
      { field: "ProviderDetails", key: "authorize_scopes", action: "change", before: "email openid", after: "email openid profile", sensitive: false },
      { field: "ProviderDetails", key: "client_secret", action: "change", sensitive: true },
    ]);
    const text = renderText(plan, { color: false });
    expect(text).toBe(
      [
        "user pool us-east-1/us-east-1_Pool1",
        "  ~ update Google (Google)  (c.yaml:1)",
        '      ~ ProviderDetails.authorize_scopes: "email openid" -> "email openid profile"',
        "      ~ ProviderDetails.client_secret: (sensitive value changed)",
        "Plan: 0 to create, 1 to update, 0 to replace, 0 to delete; 0 unchanged.",
        "",
      ].join("\n"),
    );
    expect(text).not.toContain("s3cret");
    expect(text).not.toContain("new-secret-2");
  });

  it("treats a username mapping that differs from the service default as drift", () => {
    const l = asDescribed(google);
    const plan = computePlan(state(google), live({ ...l, attributeMapping: { ...l.attributeMapping, username: "email" } }));
    expect(plan.changes[0]!.diffs).toEqual([{ field: "AttributeMapping", key: "username", action: "remove", before: "email", sensitive: false }]);
  });

  it("compares identifiers as sets", () => {
    const plan = computePlan(state(google), live({ ...asDescribed(google), idpIdentifiers: ["b", "c"] }));
    expect(plan.changes[0]!.diffs).toEqual([{ field: "IdpIdentifiers", action: "change", before: ["b", "c"], after: ["a", "b"], sensitive: false }]);
  });

  it("sends Apple's private_key again only with --rotate-secrets", () => {
    const plan = computePlan(state(apple), live(asDescribed(apple)), { ...DEFAULT_PLAN_OPTIONS, rotateSecrets: true });
    expect(plan.changes.map((c) => [c.action, c.writeOnlySent])).toEqual([["update", ["private_key"]]]);
  });

  it("refuses a type change without --allow-replace and plans it with", () => {
    const oidcLive: LiveProvider = { ...asDescribed(saml), providerType: "OIDC", providerDetails: { client_id: "x" } };
    const refused = computePlan(state(saml), live(oidcLive));
    expect(refused.changes).toEqual([]);
    expect(refused.suppressed.map((s) => [s.policy, s.blocking, s.change.action])).toEqual([["replace", true, "replace"]]);
    expect(hasChanges(refused)).toBe(true);
    const allowed = computePlan(state(saml), live(oidcLive), { ...DEFAULT_PLAN_OPTIONS, allowReplace: true });
    expect(allowed.changes.map((c) => c.action)).toEqual(["replace"]);
  });

  it("lists undeclared providers as unmanaged, deletes them only with --prune and under the threshold", () => {
    const extra = (n: string) => asDescribed(desired(n, { providerType: "SAML", providerDetails: { MetadataURL: "https://x" } }));
    const lives = live(asDescribed(google), asDescribed(apple), asDescribed(saml), extra("old1"));
    const unmanaged = computePlan(state(google, apple, saml), lives);
    expect(unmanaged.changes).toEqual([]);
    expect(unmanaged.suppressed.map((s) => [s.policy, s.blocking, s.change.key.providerName])).toEqual([["prune", false, "old1"]]);
    expect(hasChanges(unmanaged)).toBe(false);

    const pruned = computePlan(state(google, apple, saml), lives, { ...DEFAULT_PLAN_OPTIONS, prune: true });
    expect(pruned.changes.map((c) => `${c.action} ${c.key.providerName}`)).toEqual(["delete old1"]); // 1 of 4 = 25%

    const many = live(asDescribed(google), extra("old1"), extra("old2"));
    const blocked = computePlan(state(google), many, { ...DEFAULT_PLAN_OPTIONS, prune: true });
    expect(blocked.changes).toEqual([]);
    expect(blocked.suppressed.map((s) => [s.policy, s.blocking])).toEqual([
      ["delete-threshold", true],
      ["delete-threshold", true],
    ]);
    expect(blocked.suppressed[0]!.reason).toBe("would delete 2 of 3 providers in us-east-1_Pool1, more than 30%; run with --force to allow");
    const forced = computePlan(state(google), many, { ...DEFAULT_PLAN_OPTIONS, prune: true, force: true });
    expect(forced.changes.map((c) => c.action)).toEqual(["delete", "delete"]);
  });

  it("refuses a write that claims an identifier a provider it does not change still holds", () => {
    const holder = asDescribed(desired("legacy", { providerType: "SAML", providerDetails: { MetadataURL: "https://x" }, idpIdentifiers: ["a"] }));
    const blocked = computePlan(state(google), live(holder));
    expect(blocked.changes).toEqual([]);
    expect(blocked.suppressed.map((s) => [s.policy, s.blocking, s.change.key.providerName])).toEqual([
      ["prune", false, "legacy"],
      ["identifier-conflict", true, "Google"],
    ]);
    expect(blocked.suppressed[1]!.reason).toBe(
      'identifier "a" is still used by live provider legacy, which this plan does not change (unmanaged, or its change is refused); remove it there, declare that provider, or run with --prune',
    );
    expect(hasChanges(blocked)).toBe(true);
    // Pruning the holder releases the identifier: the delete comes first, then the create may claim it.
    const pruned = computePlan(state(google), live(holder, asDescribed(apple), asDescribed(saml), asDescribed(desired("x", { providerType: "SAML", providerDetails: { MetadataURL: "https://y" } }))), {
      ...DEFAULT_PLAN_OPTIONS,
      prune: true,
      force: true,
    });
    expect(pruned.suppressed).toEqual([]);
    expect(pruned.changes.map((c) => `${c.action} ${c.key.providerName}`)).toContain("create Google");
    // A holder that is itself updated gives the identifier up: no conflict.
    const moved = computePlan(state(google, desired("legacy", { providerType: "SAML", providerDetails: { MetadataURL: "https://x" }, idpIdentifiers: [] })), live(holder));
    expect(moved.suppressed).toEqual([]);
    expect(moved.changes.map((c) => `${c.action} ${c.key.providerName}`)).toEqual(["update legacy", "create Google"]);
  });

  it("gives the same checksum for the same live state in any order", () => {
    const a = computePlan(state(google), live(asDescribed(google), asDescribed(apple)));
    const b = computePlan(state(google), live(asDescribed(apple), asDescribed(google)));
    expect(a.liveChecksum).toBe(b.liveChecksum);
    expect(a.liveChecksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    const c = computePlan(state(google), live(asDescribed(apple)));
    expect(c.liveChecksum).not.toBe(a.liveChecksum);
  });
});
