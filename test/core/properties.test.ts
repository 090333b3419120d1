// Property-based checks of the pure core (fast-check): whatever the input, a provider as Cognito
// describes it plans as unchanged, and no secret value reaches any rendering.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computePlan } from "../../src/core/plan.js";
import { PROVIDER_RULES, PROVIDER_TYPES, type ProviderType } from "../../src/core/providerTypes.js";
import { planToJson } from "../../src/core/render/json.js";
import { renderText } from "../../src/core/render/text.js";
import type { DesiredProvider, LiveProvider } from "../../src/core/types.js";

const pool = { region: "eu-west-1", userPoolId: "eu-west-1_Prop1" };
const value = fc.string({ minLength: 1, maxLength: 30 });
const secret = fc.stringMatching(/^[A-Za-z0-9+/]{12,40}$/).map((s) => `SECRET${s}`);

function arbProvider(type: ProviderType) {
  const rules = PROVIDER_RULES[type];
  const keys = rules.settable.filter((k) => !rules.derivedKeys.includes(k));
  return fc.record({
    details: fc.record(Object.fromEntries(keys.map((k) => [k, rules.sensitive.includes(k) ? secret : value])) as Record<string, fc.Arbitrary<string>>),
    mapping: fc.dictionary(fc.constantFrom("email", "name", "given_name", "username", "custom:team"), value, { maxKeys: 4 }),
    identifiers: fc.uniqueArray(fc.stringMatching(/^[a-z0-9.@-]{1,10}$/), { maxLength: 5 }),
    name: fc.constantFrom("corp", "idp-2", "a_b"),
  }).map(({ details, mapping, identifiers, name }): DesiredProvider => {
    const d = { ...details };
    if (type === "SAML") delete d["MetadataURL"];
    return {
      key: { ...pool, providerName: rules.nameMustEqualType ? type : name },
      providerType: type,
      providerDetails: d,
      attributeMapping: type === "SAML" ? Object.fromEntries(Object.entries(mapping).filter(([k]) => k !== "username")) : mapping,
      idpIdentifiers: identifiers,
      acrMapping: undefined,
      secretKeys: [],
      source: { file: "p.yaml", line: 1, col: 1 },
    };
  });
}

/** Cognito's describe, per the key table: derived keys added, write-only dropped, default username, any order. */
function described(d: DesiredProvider): LiveProvider {
  const rules = PROVIDER_RULES[d.providerType];
  const details: Record<string, string> = { ...rules.derive(d.providerDetails), ...d.providerDetails };
  for (const k of rules.writeOnly) delete details[k];
  for (const k of rules.readOnly) details[k] = "service-set";
  const mapping = { ...(d.attributeMapping ?? {}) };
  if (rules.defaultUsernameClaim && mapping["username"] === undefined) mapping["username"] = rules.defaultUsernameClaim;
  return { ...d, providerDetails: details, attributeMapping: mapping, idpIdentifiers: [...(d.idpIdentifiers ?? [])].reverse() };
}

const anyProvider = fc.constantFrom(...PROVIDER_TYPES).chain(arbProvider);

describe("plan properties", () => {
  it("a provider as Cognito describes it is never drift", () => {
    fc.assert(
      fc.property(anyProvider, (d) => {
        const plan = computePlan({ providers: [d], pools: [pool] }, { pools: [{ ...pool, providers: [described(d)] }] });
        expect(plan.changes).toEqual([]);
        expect(plan.noops).toHaveLength(1);
      }),
      { numRuns: 150 },
    );
  });

  it("no secret value appears in text or JSON plans, whatever changes", () => {
    fc.assert(
      fc.property(anyProvider, anyProvider, (before, after) => {
        const live = { pools: [{ ...pool, providers: [described({ ...before, key: after.key })] }] };
        const plan = computePlan({ providers: [after], pools: [pool] }, live, { prune: true, allowReplace: true, force: true, maxDeleteFraction: 0.3, rotateSecrets: true });
        const out = renderText(plan, { color: false }) + JSON.stringify(planToJson(plan));
        for (const d of [before, after]) {
          for (const k of PROVIDER_RULES[d.providerType].sensitive) {
            const v = d.providerDetails[k];
            if (v) expect(out).not.toContain(v);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
