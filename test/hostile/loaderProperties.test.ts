// Property-based hostile input (fast-check): whatever bytes a config file holds, loading never throws,
// every problem is reported at file:line:col inside that file, and a document with any error yields no
// provider (so nothing can be planned or applied from it).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSources } from "../../src/core/load.js";
import type { SecretSource } from "../../src/core/secrets.js";
import { formatLocatedError } from "../../src/core/types.js";
import { validateDocuments } from "../../src/core/validate.js";

const secrets: SecretSource = {
  env: (name) => (name === "SET" ? "SENTINEL-prop-secret" : undefined),
  file: () => ({ ok: false, reason: "no such file" }),
};

const VALID = `UserPoolId: us-east-1_Pool1
ProviderName: corp
ProviderType: OIDC
ProviderDetails:
  client_id: c
  client_secret: \${env:SET}
  attributes_request_method: GET
  oidc_issuer: https://idp.example.com
  authorize_scopes: openid
AttributeMapping: { email: email }
IdpIdentifiers: [example.com]
`;

function load(text: string) {
  const parsed = parseSources([{ path: "f.yaml", text }]);
  const validated = validateDocuments(parsed.documents, secrets);
  return { errors: [...parsed.errors, ...validated.errors], providers: validated.state.providers, documents: parsed.documents.length };
}

/** Every error is located inside the file: a line that exists (or the one after the last), a column >= 1. */
function expectLocated(text: string, r: ReturnType<typeof load>): void {
  const lines = text.split(/\r\n|\r|\n/).length;
  for (const e of r.errors) {
    expect(e.location.file).toBe("f.yaml");
    expect(e.location.line).toBeGreaterThanOrEqual(1);
    expect(e.location.line).toBeLessThanOrEqual(lines + 1);
    expect(e.location.col).toBeGreaterThanOrEqual(1);
    expect(e.message.length).toBeGreaterThan(0);
    expect(formatLocatedError(e)).toMatch(/^f\.yaml:\d+:\d+: /);
    expect(formatLocatedError(e)).not.toContain("SENTINEL-prop-secret");
  }
  if (r.errors.length > 0) expect(r.providers.length).toBeLessThan(Math.max(r.documents, 1));
}

/** A valid document with a few characters deleted, inserted or replaced. */
const mutated = fc
  .array(
    fc.record({
      at: fc.nat({ max: VALID.length }),
      kind: fc.constantFrom("delete", "insert", "replace"),
      text: fc.oneof(fc.constantFrom(":", "-", "[", "]", "{", "}", "&a", "*a", "!!binary", "\t", "\n", "  ", "#", "'", '"', "${", "}", "---", "\u00a0", "\u200b", "\ufeff", "é"), fc.string({ maxLength: 4 })),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((edits) =>
    edits.reduce((s, e) => {
      const at = Math.min(e.at, s.length);
      if (e.kind === "delete") return s.slice(0, at) + s.slice(at + 1);
      if (e.kind === "insert") return s.slice(0, at) + e.text + s.slice(at);
      return s.slice(0, at) + e.text + s.slice(at + e.text.length);
    }, VALID),
  );

/** A document whose top-level values are of any JSON type, including unknown keys. */
const wrongTypes = fc
  .dictionary(
    fc.constantFrom("UserPoolId", "ProviderName", "ProviderType", "ProviderDetails", "AttributeMapping", "IdpIdentifiers", "Region", "AcrMapping", "Extra", "providerName"),
    fc.jsonValue({ maxDepth: 3 }),
    { minKeys: 1 },
  )
  .map((doc) => JSON.stringify(doc, null, 1));

describe("hostile input properties", () => {
  it("arbitrary text never throws and every error is located", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => {
        expectLocated(text, load(text));
      }),
      { numRuns: 300 },
    );
  });

  it("a valid document, mutated, either still loads or fails with located errors and no provider", () => {
    fc.assert(
      fc.property(mutated, (text) => {
        const r = load(text);
        expectLocated(text, r);
        if (r.errors.length === 0) expect(r.providers.length).toBeLessThanOrEqual(r.documents);
      }),
      { numRuns: 400 },
    );
  });

  it("wrong types and unknown keys are reported at their path, never loaded", () => {
    fc.assert(
      fc.property(wrongTypes, (text) => {
        const r = load(text);
        expectLocated(text, r);
        expect(r.errors.length).toBeGreaterThan(0);
        expect(r.providers).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
