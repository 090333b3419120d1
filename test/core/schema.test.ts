import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { IDENTITY_PROVIDER_SCHEMA } from "../../src/core/schema.js";
import { CONSTRAINTS, fullMatch } from "../../src/core/serviceConstraints.js";
import { loadDesired } from "../../src/config/loadDesired.js";

describe("schemas/identity-provider.schema.json", () => {
  it("is exactly what src/core/schema.ts builds (run `npm run schema` after changing it)", () => {
    const onDisk = JSON.parse(readFileSync(new URL("../../schemas/identity-provider.schema.json", import.meta.url), "utf8"));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(IDENTITY_PROVIDER_SCHEMA)));
  });

  it("compiles under ajv strict mode as a 2020-12 schema (strictRequired off: `not: {required}` names keys defined by the type rule)", () => {
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
    expect(() => ajv.compile(IDENTITY_PROVIDER_SCHEMA)).not.toThrow();
  });

  it("accepts every config example", () => {
    const env = { GOOGLE_CLIENT_SECRET: "x1234", FACEBOOK_APP_SECRET: "x1234", AMAZON_CLIENT_SECRET: "x1234", APPLE_PRIVATE_KEY: "x1234", CORP_OIDC_CLIENT_SECRET: "x1234" };
    const r = loadDesired("config-examples/idps", env, process.cwd());
    expect(r.errors).toEqual([]);
    expect(r.state.providers.map((p) => p.providerType).sort()).toEqual(["Facebook", "Google", "LoginWithAmazon", "OIDC", "SAML", "SignInWithApple"]);
  });
});

describe("service name patterns (cognito-behaviour.md §2.2)", () => {
  const create = (v: string) => fullMatch(CONSTRAINTS.providerNameCreate.pattern, v);
  it.each([
    ["Google", true],
    ["abc", true],
    ["ab", false],
    ["a_b", true],
    ["ab_c", false],
    ["_abc", false],
    ["abc_", false],
    ["My IdP", false],
    ["my-saml", true],
    ["a:b", true],
    ["ñandú", true],
  ])("create name %j -> %s", (name, ok) => expect(create(name)).toBe(ok));

  it("other operations accept spaces but not tabs", () => {
    expect(fullMatch(CONSTRAINTS.providerName.pattern, "My IdP")).toBe(true);
    expect(fullMatch(CONSTRAINTS.providerName.pattern, "a\tb")).toBe(false);
  });

  it("identifiers use Java's ASCII \\w", () => {
    expect(fullMatch(CONSTRAINTS.idpIdentifier.pattern, "example.com")).toBe(true);
    expect(fullMatch(CONSTRAINTS.idpIdentifier.pattern, "exämple")).toBe(false);
  });
});
