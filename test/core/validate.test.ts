import { describe, expect, it } from "vitest";
import { parseSources } from "../../src/core/load.js";
import { validateDocuments } from "../../src/core/validate.js";
import type { SecretSource } from "../../src/core/secrets.js";
import { formatLocatedError } from "../../src/core/types.js";

const secrets: SecretSource = {
  env: (name) => ({ GOOGLE_SECRET: "sentinel-google-secret-1" } as Record<string, string>)[name],
  file: (path) => (path === "/run/apple.pem" ? { ok: true, value: "-----KEY-----" } : { ok: false, reason: "ENOENT: no such file" }),
};

function run(files: Record<string, string>) {
  const loaded = parseSources(Object.entries(files).map(([path, text]) => ({ path, text })));
  const v = validateDocuments(loaded.documents, secrets);
  return { ...v, errors: [...loaded.errors, ...v.errors].map(formatLocatedError) };
}

const google = `UserPoolId: us-east-1_Example1
ProviderName: Google
ProviderType: Google
ProviderDetails:
  client_id: abc.apps.googleusercontent.com
  client_secret: \${env:GOOGLE_SECRET}
  authorize_scopes: email profile openid
AttributeMapping:
  email: email
IdpIdentifiers: [google]
`;

describe("validateDocuments", () => {
  it("accepts a valid Google document and resolves its secret", () => {
    const r = run({ "g.yaml": google });
    expect(r.errors).toEqual([]);
    expect(r.state.providers).toHaveLength(1);
    const p = r.state.providers[0]!;
    expect(p.key).toEqual({ region: "us-east-1", userPoolId: "us-east-1_Example1", providerName: "Google" });
    expect(p.providerDetails["client_secret"]).toBe("sentinel-google-secret-1");
    expect(p.secretKeys).toEqual(["client_secret"]);
    expect(r.secrets).toEqual(["sentinel-google-secret-1"]);
    expect(r.state.pools).toEqual([{ region: "us-east-1", userPoolId: "us-east-1_Example1" }]);
  });

  it("reports every schema error at file:line:col without echoing values", () => {
    const r = run({
      "bad.yaml": `UserPoolId: us-east-1_Example1
ProviderName: Gogle
ProviderType: Google
Extra: 1
ProviderDetails:
  client_id: 12345
  client_secret: hunter2-secret
  attributes_url_add_attributes: "true"
  bogus_key: x
`,
    });
    expect(r.errors).toEqual([
      "bad.yaml:2:15: ProviderName: a Google provider must be named Google (Cognito: \"Provider cannot be of type Google\")",
      "bad.yaml:4:1: Extra: unknown key Extra (allowed: Region, UserPoolId, ProviderName, ProviderType, ProviderDetails, AttributeMapping, IdpIdentifiers, AcrMapping)",
      "bad.yaml:5:1: ProviderDetails: missing required key authorize_scopes for a Google provider",
      "bad.yaml:6:14: ProviderDetails.client_id: must be a string, not a number (quote the value in YAML)",
      "bad.yaml:9:3: ProviderDetails.bogus_key: bogus_key is not a valid key for Google identity provider details; allowed: attributes_url, attributes_url_add_attributes, authorize_scopes, authorize_url, client_id, client_secret, oidc_issuer, token_request_method, token_url",
    ]);
    expect(r.errors.join("\n")).not.toContain("hunter2");
    expect(r.state.providers).toEqual([]);
  });

  it("locates YAML syntax errors and duplicate keys", () => {
    const r = run({ "a.yaml": "UserPoolId: x\nUserPoolId: y\n", "b.yml": "a: [1, 2\n" });
    expect(r.errors[0]).toMatch(/^a\.yaml:2:1: invalid YAML: map keys must be unique \(this key is repeated\)$/);
    expect(r.errors[1]).toMatch(/^b\.yml:\d+:\d+: invalid YAML: /);
  });

  it("rejects duplicate identities and identifiers reused in a pool across files", () => {
    const other = google.replace("ProviderName: Google", "ProviderName: Google").replace("[google]", "[google, g2]");
    const oidc = `UserPoolId: us-east-1_Example1
ProviderName: corp
ProviderType: OIDC
ProviderDetails: { client_id: c, attributes_request_method: GET, oidc_issuer: "https://idp.example.com", authorize_scopes: openid }
IdpIdentifiers: [g2, google]
`;
    const r = run({ "a.yaml": google, "b.yaml": `${other}---\n${oidc}` });
    expect(r.errors).toEqual([
      "b.yaml:2:15: ProviderName: provider Google in user pool us-east-1_Example1 is already declared at a.yaml:1:1",
      'b.yaml:16:22: IdpIdentifiers.1: identifier "google" is already used by provider Google (a.yaml:1:1); identifiers must be unique within a user pool',
    ]);
  });

  it("locates a missing secret reference at its value", () => {
    const r = run({ "g.yaml": google.replace("GOOGLE_SECRET", "NOPE_SECRET") });
    expect(r.errors).toEqual(["g.yaml:6:18: ProviderDetails.client_secret: environment variable NOPE_SECRET is not set (referenced as ${env:NOPE_SECRET})"]);
  });

  it("requires exactly one SAML metadata source", () => {
    const r = run({ "s.yaml": `UserPoolId: eu-west-1_Abc\nProviderName: okta\nProviderType: SAML\nProviderDetails: { IDPSignout: "true" }\n` });
    expect(r.errors).toEqual(["s.yaml:4:18: ProviderDetails: a SAML provider needs exactly one of MetadataURL or MetadataFile"]);
  });
});
