// Hostile and malformed input: every case ends in a clear located error, quickly, with nothing loaded.
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadDesired } from "../../src/config/loadDesired.js";

const root = mkdtempSync(join(tmpdir(), "cis-hostile-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

function load(files: Record<string, string>, env: Record<string, string> = {}) {
  const dir = join(root, `case${n++}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, ...loadDesired(dir, env, dir) };
}

const valid = (name = "corp", extra = "") => `UserPoolId: us-east-1_Pool1
ProviderName: ${name}
ProviderType: OIDC
ProviderDetails: { client_id: c, attributes_request_method: GET, oidc_issuer: "https://idp.example.com", authorize_scopes: openid }
${extra}`;

describe("hostile YAML", () => {
  it("rejects a billion-laughs alias bomb without expanding it", () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(",")}]`),
    ].join("\n");
    const r = load({ "bomb.yaml": bomb });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^bomb\.yaml:1:1: invalid YAML: Excessive alias count indicates a resource exhaustion attack/);
    expect(r.state.providers).toEqual([]);
  });

  it("rejects absurd nesting", () => {
    const deep = "a: " + "[".repeat(200) + "]".repeat(200) + "\n";
    const r = load({ "deep.yaml": deep });
    expect(r.errors).toEqual(["deep.yaml:1:1: document nests deeper than 64 levels"]);
  });

  it("rejects files over the size limit without parsing them", () => {
    const r = load({ "huge.yaml": "# " + "x".repeat(4 * 1024 * 1024) + "\n" });
    expect(r.errors).toEqual([`huge.yaml: file is ${4 * 1024 * 1024 + 3} bytes; the limit is ${4 * 1024 * 1024}`]);
  });

  it("rejects documents that are not mappings", () => {
    const r = load({ "list.yaml": "- a\n- b\n", "scalar.yml": "just a string\n" });
    expect(r.errors).toEqual(["list.yaml:1:1: a document must be a mapping (one identity provider), not a list", "scalar.yml:1:1: a document must be a mapping (one identity provider), not a string"]);
  });

  it("reports each broken document and keeps going through the others", () => {
    const r = load({ "multi.yaml": `${valid("one")}---\nUserPoolId: [\n---\n${valid("two")}` });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^multi\.yaml:\d+:\d+: invalid YAML: /);
  });

  it.each([
    ["My IdP", 'does not match the pattern Cognito requires for new providers'],
    ["ab", "(at least 3 characters, no spaces"],
    ["x".repeat(33), "value must have at most 32 characters"],
    ["ab_c", "does not match the pattern"],
    ["COGNITO", "COGNITO is reserved for the user pool's own directory"],
    ["", "value must have at least 1 characters"],
    [" lead", "does not match the pattern"],
  ])("rejects the provider name %j", (name, message) => {
    const r = load({ "n.yaml": valid(JSON.stringify(name)) });
    expect(r.errors.join("\n")).toContain(message);
    expect(r.errors[0]).toMatch(/^n\.yaml:2:15: ProviderName: /);
    expect(r.state.providers).toEqual([]);
  });

  it("rejects bad identifiers with their index", () => {
    const r = load({ "i.yaml": valid("corp", 'IdpIdentifiers: [ok, "ünïcode", "", ok]\n') });
    expect(r.errors).toEqual([
      "i.yaml:5:17: IdpIdentifiers: must not repeat an item (items 0 and 3 are the same)",
      "i.yaml:5:22: IdpIdentifiers.1: does not match the pattern Cognito requires: ^[A-Za-z0-9_ \\t\\n\\x0B\\f\\r+=.@-]+$",
      "i.yaml:5:33: IdpIdentifiers.2: value must have at least 1 characters",
      "i.yaml:5:33: IdpIdentifiers.2: does not match the pattern Cognito requires: ^[A-Za-z0-9_ \\t\\n\\x0B\\f\\r+=.@-]+$",
    ]);
  });

  it("rejects secret references that are missing, malformed or misplaced", () => {
    const r = load({
      "s.yaml": `UserPoolId: us-east-1_Pool1
ProviderName: corp
ProviderType: OIDC
ProviderDetails:
  client_id: \${env:NOT_SET_ANYWHERE}
  client_secret: \${file:./missing/secret.txt}
  attributes_request_method: \${env:bad-name}
  oidc_issuer: https://idp.example.com
  authorize_scopes: openid
AttributeMapping: { email: "\${env:X}" }
`,
    });
    expect(r.errors).toEqual([
      "s.yaml:5:14: ProviderDetails.client_id: environment variable NOT_SET_ANYWHERE is not set (referenced as ${env:NOT_SET_ANYWHERE})",
      "s.yaml:6:18: ProviderDetails.client_secret: cannot read secret file ./missing/secret.txt: no such file",
      "s.yaml:7:30: ProviderDetails.attributes_request_method: ${env:bad-name} is not a valid environment variable name",
      "s.yaml:10:28: AttributeMapping.email: secret references (${env:...}, ${file:...}) are only allowed in ProviderDetails values",
    ]);
  });

  it("reads secret files relative to the document and through symlinks, trimming one newline", () => {
    const r = load({ "sub/doc.yaml": valid("corp").replace("client_id: c", 'client_id: "${file:../secrets/id}"'), "secrets/id": "from-file-value\n" });
    expect(r.errors).toEqual([]);
    expect(r.state.providers[0]?.providerDetails["client_id"]).toBe("from-file-value");
    expect(r.secrets).toEqual(["from-file-value"]);
    symlinkSync(join(r.dir, "secrets/id"), join(r.dir, "sub/linked"));
    writeFileSync(join(r.dir, "sub/doc.yaml"), valid("corp").replace("client_id: c", 'client_id: "${file:linked}"'));
    expect(loadDesired(r.dir, {}, r.dir).state.providers[0]?.providerDetails["client_id"]).toBe("from-file-value");
  });

  it("skips hidden directories (Kubernetes ..data) but reads linked files, and refuses a missing config dir", () => {
    const r = load({ "..2024_01_01/idp.yaml": valid("corp"), ".git/x.yaml": "broken: [" });
    expect(r.state.providers).toEqual([]);
    symlinkSync(join(r.dir, "..2024_01_01/idp.yaml"), join(r.dir, "idp.yaml"));
    const again = loadDesired(r.dir, {}, r.dir);
    expect(again.errors).toEqual([]);
    expect(again.state.providers.map((p) => p.key.providerName)).toEqual(["corp"]);
    expect(loadDesired(join(root, "nope"), {}, root).errors).toEqual([`${join(root, "nope")}: config directory does not exist`]);
  });

  it.each([
    ["not XML at all", "this is not xml", "Unable to unmarshall metadata"],
    ["unclosed XML", "<EntityDescriptor><IDPSSODescriptor>", "Unable to unmarshall metadata"],
    ["XML that is not SAML metadata", "<html><body>login</body></html>", "Unable to unmarshall metadata"],
    [
      "metadata without a redirect sign-on binding",
      '<EntityDescriptor entityID="x"><IDPSSODescriptor><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp/sso"/></IDPSSODescriptor></EntityDescriptor>',
      "No SingleSignOn Http redirect binding location found in metadata.",
    ],
  ])("rejects SAML MetadataFile that is %s, in the service's words", (_what, xml, message) => {
    const r = load({ "md.yaml": `UserPoolId: us-east-1_Pool1\nProviderName: corp\nProviderType: SAML\nProviderDetails:\n  MetadataFile: ${JSON.stringify(xml)}\n` });
    expect(r.errors).toEqual([`md.yaml:5:17: ProviderDetails.MetadataFile: not usable SAML metadata: ${message}`]);
    expect(r.state.providers).toEqual([]);
  });

  it("does not expand entities in SAML metadata (an XML entity bomb stays small)", () => {
    const entities = Array.from({ length: 10 }, (_, i) => `<!ENTITY e${i + 1} "${`&e${i};`.repeat(10)}">`).join("");
    const bomb = `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY e0 "lol">${entities}]><EntityDescriptor entityID="&e10;"><IDPSSODescriptor><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp/sso"/></IDPSSODescriptor></EntityDescriptor>`;
    const r = load({ "bomb.yaml": `UserPoolId: us-east-1_Pool1\nProviderName: corp\nProviderType: SAML\nProviderDetails:\n  MetadataFile: ${JSON.stringify(bomb)}\n` });
    expect(r.errors).toEqual([]);
    expect(r.state.providers[0]?.providerDetails["MetadataFile"]).toBe(bomb);
  });

  it("rejects SAML metadata that is enormous once resolved", () => {
    const r = load({ "big.yaml": `UserPoolId: us-east-1_Pool1\nProviderName: corp\nProviderType: SAML\nProviderDetails: { MetadataFile: "\${file:md.xml}" }\n`, "md.xml": "<x>" + "a".repeat(200_000) + "</x>" });
    expect(r.errors).toEqual(["big.yaml:4:34: ProviderDetails.MetadataFile: resolved value is longer than 131072 characters"]);
  });
});

describe("YAML syntax errors", () => {
  it("point at the offending token, not the top of the file", () => {
    const r = load({ "flow.yaml": "UserPoolId: us-east-1_P\nProviderDetails: { client_id: ${env:X} }\n" });
    expect(r.errors[0]).toMatch(/^flow\.yaml:2:\d+: invalid YAML: /);
    expect(r.errors[0]).not.toMatch(/^flow\.yaml:2:1: /);
  });
});
