// CI and pull-request use: plan files, markdown and JSON plans, GitHub annotations, export.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CreateIdentityProviderCommand, UpdateIdentityProviderCommand } from "@aws-sdk/client-cognito-identity-provider";
import { Ajv2020 } from "ajv/dist/2020.js";
import { beforeEach, describe, expect, it } from "vitest";
import { computePlan, DEFAULT_PLAN_OPTIONS } from "../../src/core/plan.js";
import { planToJson } from "../../src/core/render/json.js";
import { renderMarkdown } from "../../src/core/render/markdown.js";
import type { DesiredProvider, LiveProvider } from "../../src/core/types.js";
import { runCli } from "../helpers/cli.js";
import { useEmulatorWorkspace } from "../helpers/emulator.js";

const planSchema = JSON.parse(readFileSync(new URL("../../schemas/plan.schema.json", import.meta.url), "utf8"));
const validatePlan = new Ajv2020({ allErrors: true, strict: false }).compile(planSchema);

const ws = useEmulatorWorkspace("cis-ci-");
let n = 0;
const SECRET = "SENTINEL-ci-secret-5150";

let pool: string;
beforeEach(async () => {
  pool = `us-east-1_Ci${++n}`;
  await ws.emulator.ensureUserPool({ id: pool });
});

function config(docs: string): string {
  const d = join(ws.dir, `cfg-${n}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(d);
  writeFileSync(join(d, "idp.yaml"), docs);
  return d;
}

const oidcDoc = (scopes = "openid") => `UserPoolId: ${pool}
ProviderName: corp
ProviderType: OIDC
ProviderDetails:
  client_id: c1
  client_secret: \${env:CORP_SECRET}
  attributes_request_method: GET
  oidc_issuer: https://idp.example.com
  authorize_scopes: ${scopes}
`;

const cli = (args: string[], env: Record<string, string> = {}) => runCli([...args, "--endpoint", ws.emulator.url, "--log-level", "warn"], { env: { CORP_SECRET: SECRET, ...env }, cwd: ws.dir });

describe("plan files", () => {
  it("round-trip: plan --out, then apply plan.json applies exactly that plan", async () => {
    const cfg = config(oidcDoc());
    const plan = await cli(["plan", "--config", cfg, "--out", "p1.json", "--detailed-exitcode"]);
    expect(plan.code).toBe(2);
    const saved = JSON.parse(readFileSync(join(ws.dir, "p1.json"), "utf8"));
    expect(validatePlan(saved), JSON.stringify(validatePlan.errors)).toBe(true);
    expect(saved.changes.map((c: { action: string; providerName: string }) => `${c.action} ${c.providerName}`)).toEqual(["create corp"]);
    expect(JSON.stringify(saved)).not.toContain(SECRET);
    const apply = await cli(["apply", "p1.json", "--config", cfg]);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain("Apply: 1 of 1 change applied (1 create, 0 update, 0 replace, 0 delete).");
  });

  it("apply refuses a plan after an out-of-band change, and after a config change, and changes nothing", async () => {
    const cfg = config(oidcDoc());
    await cli(["apply", "--config", cfg]);
    const cfg2 = config(oidcDoc("openid email"));
    expect((await cli(["plan", "--config", cfg2, "--out", "p2.json"])).code).toBe(0);
    await ws.client.send(new UpdateIdentityProviderCommand({ UserPoolId: pool, ProviderName: "corp", AttributeMapping: { email: "mail" } }));
    ws.emulator.resetStats();
    const refused = await cli(["apply", "p2.json", "--config", cfg2]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "error: refusing to apply p2.json: the live identity providers changed since the plan was made (live checksum differs); run plan again and review it. Nothing was changed.",
    );
    const calls = ws.emulator.stats().calls;
    expect(Object.keys(calls).sort()).toEqual(["DescribeIdentityProvider", "ListIdentityProviders"]);

    expect((await cli(["plan", "--config", cfg2, "--out", "p3.json"])).code).toBe(0);
    const refused2 = await cli(["apply", "p3.json", "--config", cfg2], { CORP_SECRET: "SENTINEL-other-secret-77" });
    expect(refused2.code).toBe(1);
    expect(refused2.stderr).toContain("the configuration (or a secret it references) changed since the plan was made");
    expect(refused2.stderr + refused2.stdout).not.toContain("SENTINEL-other-secret-77");
    expect((await cli(["apply", "p3.json", "--config", cfg2])).code).toBe(0);
  });

  it("rejects a file that is not a plan", async () => {
    writeFileSync(join(ws.dir, "junk.json"), '{"hello": 1}');
    const r = await cli(["apply", "junk.json", "--config", config(oidcDoc())]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: junk.json: not a plan file of format version 1\n");
  });
});

describe("drift check and GitHub Actions", () => {
  it("--expect-no-changes exits 2 on drift and 0 without", async () => {
    const cfg = config(oidcDoc());
    const drift = await cli(["plan", "--config", cfg, "--expect-no-changes"]);
    expect(drift.code).toBe(2);
    expect(drift.stderr).toContain("drift detected: the user pools do not match the configuration");
    await cli(["apply", "--config", cfg]);
    expect((await cli(["plan", "--config", cfg, "--expect-no-changes"])).code).toBe(0);
  });

  it("prints add-mask first, annotations at the right line, and appends the markdown plan to the step summary", async () => {
    const bad = config(`${oidcDoc()}---\nUserPoolId: ${pool}\nProviderName: Google\nProviderType: Google\nProviderDetails:\n  client_id: x\n`);
    const r = await runCli(["plan", "--config", bad, "--endpoint", ws.emulator.url, "--log-level", "warn"], { env: { CORP_SECRET: `${SECRET}\nline2-of-the-secret`, GITHUB_ACTIONS: "true" }, cwd: ws.dir });
    expect(r.code).toBe(1);
    const file = join(bad.slice(ws.dir.length + 1), "idp.yaml"); // relative to the working directory, as Actions wants
    expect(r.stdout).toBe(
      `::add-mask::${SECRET}\n::add-mask::line2-of-the-secret\n` +
        `::error file=${file},line=14,col=1::ProviderDetails: missing required key client_secret for a Google provider\n` +
        `::error file=${file},line=14,col=1::ProviderDetails: missing required key authorize_scopes for a Google provider\n`,
    );
    const summary = join(ws.dir, `summary-${n}.md`);
    const ok = await runCli(["plan", "--config", config(oidcDoc()), "--endpoint", ws.emulator.url, "--log-level", "warn"], { env: { CORP_SECRET: SECRET, GITHUB_STEP_SUMMARY: summary }, cwd: ws.dir });
    expect(ok.code).toBe(0);
    const md = readFileSync(summary, "utf8");
    expect(md).toContain("| ➕ create | `corp` | OIDC |");
    expect(md).not.toContain(SECRET);
  });
});

describe("export", () => {
  it("writes all six provider types as files whose plan is empty", async () => {
    const md = `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><IDPSSODescriptor><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp/sso"/></IDPSSODescriptor></EntityDescriptor>`;
    const inputs = [
      { ProviderName: "Google", ProviderType: "Google", ProviderDetails: { client_id: "g", client_secret: "SENTINEL-export-g", authorize_scopes: "openid" }, IdpIdentifiers: ["gg"] },
      { ProviderName: "Facebook", ProviderType: "Facebook", ProviderDetails: { client_id: "f", client_secret: "SENTINEL-export-f", authorize_scopes: "email", api_version: "v18.0" } },
      { ProviderName: "LoginWithAmazon", ProviderType: "LoginWithAmazon", ProviderDetails: { client_id: "a", client_secret: "SENTINEL-export-a", authorize_scopes: "profile" } },
      { ProviderName: "SignInWithApple", ProviderType: "SignInWithApple", ProviderDetails: { client_id: "s", team_id: "T", key_id: "K", private_key: "SENTINEL-export-pk", authorize_scopes: "email" } },
      { ProviderName: "corp", ProviderType: "OIDC", ProviderDetails: { client_id: "o", client_secret: "SENTINEL-export-o", attributes_request_method: "GET", oidc_issuer: "https://i.example.com", authorize_scopes: "openid" }, AttributeMapping: { email: "email", username: "email" } },
      { ProviderName: "saml", ProviderType: "SAML", ProviderDetails: { MetadataFile: md, IDPSignout: "true" }, AttributeMapping: { email: "mail" } },
    ] as const;
    for (const i of inputs) await ws.client.send(new CreateIdentityProviderCommand({ UserPoolId: pool, ...i, ProviderDetails: { ...i.ProviderDetails } } as never));
    const out = `export-${n}`;
    const r = await cli(["export", "--user-pool-id", pool, "--output", out]);
    expect(r.code).toBe(0);
    expect(readdirSync(join(ws.dir, out)).sort()).toEqual(["Facebook.yaml", "Google.yaml", "LoginWithAmazon.yaml", "SignInWithApple.yaml", "corp.yaml", "saml.yaml"]);
    const all = readdirSync(join(ws.dir, out)).map((f) => readFileSync(join(ws.dir, out, f), "utf8")).join("\n");
    expect(all + r.stdout + r.stderr).not.toMatch(/SENTINEL-export/);
    expect(all).not.toContain("ActiveEncryptionCertificate");
    expect(all).not.toContain("token_url");
    const suffix = pool.split("_")[1]!.toUpperCase();
    const env = {
      [`${suffix}_GOOGLE_CLIENT_SECRET`]: "SENTINEL-export-g",
      [`${suffix}_FACEBOOK_CLIENT_SECRET`]: "SENTINEL-export-f",
      [`${suffix}_LOGINWITHAMAZON_CLIENT_SECRET`]: "SENTINEL-export-a",
      [`${suffix}_SIGNINWITHAPPLE_PRIVATE_KEY`]: "SENTINEL-export-pk",
      [`${suffix}_CORP_CLIENT_SECRET`]: "SENTINEL-export-o",
    };
    for (const name of Object.keys(env)) expect(r.stderr).toContain(`  ${name}: `);
    const plan = await runCli(["plan", "--config", join(ws.dir, out), "--endpoint", ws.emulator.url, "--log-level", "warn", "--detailed-exitcode"], { env, cwd: ws.dir });
    expect(plan.stdout).toBe("No changes. The user pools match the configuration.\nPlan: 0 to create, 0 to update, 0 to replace, 0 to delete; 6 unchanged.\n");
    expect(plan.code).toBe(0);
    const again = await cli(["export", "--user-pool-id", pool, "--output", out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: would overwrite .*; pass --force to overwrite\n$/);
  });

  it("gives providers whose names sanitise alike their own files and variables, and no hidden file", async () => {
    const oidc = (ProviderName: string, secret: string) =>
      new CreateIdentityProviderCommand({
        UserPoolId: pool,
        ProviderName,
        ProviderType: "OIDC",
        ProviderDetails: { client_id: ProviderName, client_secret: secret, attributes_request_method: "GET", oidc_issuer: "https://i.example.com", authorize_scopes: "openid" },
      });
    await ws.client.send(oidc("a-b", "SENTINEL-export-dash"));
    await ws.client.send(oidc("a_b", "SENTINEL-export-underscore"));
    await ws.client.send(oidc(".hidden", "SENTINEL-export-dot"));
    await ws.client.send(oidc("Hidden", "SENTINEL-export-upper"));
    const out = `export-${n}`;
    const r = await cli(["export", "--user-pool-id", pool, "--output", out]);
    expect(r.code).toBe(0);
    expect(readdirSync(join(ws.dir, out)).sort()).toEqual(["Hidden_2.yaml", "a-b.yaml", "a_b.yaml", "hidden.yaml"]);
    const suffix = pool.split("_")[1]!.toUpperCase();
    const env = { [`${suffix}_A_B_CLIENT_SECRET`]: "SENTINEL-export-dash", [`${suffix}_A_B_CLIENT_SECRET_2`]: "SENTINEL-export-underscore", [`${suffix}_HIDDEN_CLIENT_SECRET`]: "SENTINEL-export-dot", [`${suffix}_HIDDEN_CLIENT_SECRET_2`]: "SENTINEL-export-upper" };
    expect(r.stderr).toContain(`  ${suffix}_A_B_CLIENT_SECRET: client_secret of a-b in ${pool}\n`);
    expect(r.stderr).toContain(`  ${suffix}_A_B_CLIENT_SECRET_2: client_secret of a_b in ${pool}\n`);
    const plan = await runCli(["plan", "--config", join(ws.dir, out), "--endpoint", ws.emulator.url, "--log-level", "warn", "--detailed-exitcode"], { env, cwd: ws.dir });
    expect(plan.stdout).toBe("No changes. The user pools match the configuration.\nPlan: 0 to create, 0 to update, 0 to replace, 0 to delete; 4 unchanged.\n");
    expect(plan.code).toBe(0);
  });
});

describe("rendered plans (reviewed snapshots)", () => {
  const pool1 = { region: "eu-west-1", userPoolId: "eu-west-1_Snap1" };
  const src = { file: "idps/corp.yaml", line: 1, col: 1 };
  const d = (name: string, type: DesiredProvider["providerType"], details: Record<string, string>, extra: Partial<DesiredProvider> = {}): DesiredProvider => ({
    key: { ...pool1, providerName: name },
    providerType: type,
    providerDetails: details,
    attributeMapping: undefined,
    idpIdentifiers: undefined,
    acrMapping: undefined,
    secretKeys: [],
    source: src,
    ...extra,
  });
  const live = (x: DesiredProvider, over: Partial<LiveProvider> = {}): LiveProvider => ({ ...x, ...over });
  const longMetadata = `<EntityDescriptor>${"x".repeat(200)}</EntityDescriptor>`;
  const google = d("Google", "Google", { client_id: "g1", client_secret: "SENTINEL-snap-1", authorize_scopes: "openid" }, { idpIdentifiers: ["g"] });
  const saml = d("okta", "SAML", { MetadataFile: longMetadata });
  const replaced = d("switch", "SAML", { MetadataURL: "https://idp.example.com/md" });
  const pool2 = { region: "eu-west-1", userPoolId: "eu-west-1_Snap2" };
  const elsewhere = { ...d("corp", "SAML", { MetadataURL: "https://idp.example.com/md" }), key: { ...pool2, providerName: "corp" } };
  const desired = { providers: [google, saml, replaced, elsewhere], pools: [pool1, pool2] };
  const liveState = {
    pools: [
      {
        ...pool1,
        providers: [
          live(google, { providerDetails: { client_id: "g0", client_secret: "SENTINEL-snap-0", authorize_scopes: "openid" }, idpIdentifiers: ["g", "old"] }),
          live(d("switch", "OIDC", { client_id: "x", attributes_request_method: "GET", oidc_issuer: "https://o", authorize_scopes: "openid" })),
          live(d("gone", "OIDC", { client_id: "y", attributes_request_method: "GET", oidc_issuer: "https://o", authorize_scopes: "openid" })),
          live(d("gone2", "OIDC", { client_id: "z", attributes_request_method: "GET", oidc_issuer: "https://o", authorize_scopes: "openid" })),
        ],
      },
    ],
  };
  // The second pool could not be read: it is shown as such and nothing in it is planned.
  const unread = [{ pool: pool2, message: "user pool eu-west-1_Snap2 does not exist in eu-west-1 (User pool eu-west-1_Snap2 does not exist.)" }];
  const plan = computePlan(desired, liveState, { ...DEFAULT_PLAN_OPTIONS, prune: true, allowReplace: true, force: true }, unread);

  it("covers every change kind, and a pool that could not be read", () => {
    expect(plan.changes.map((c) => c.action).sort()).toEqual(["create", "delete", "delete", "replace", "update"]);
    expect(plan.changes.every((c) => c.pool === "eu-west-1/eu-west-1_Snap1")).toBe(true);
    expect(plan.unreadPools).toEqual(unread);
  });

  it("markdown", async () => {
    const md = renderMarkdown(plan);
    expect(md).not.toContain("SENTINEL");
    await expect(md).toMatchFileSnapshot("__snapshots__/plan.md");
  });

  it("json, valid against schemas/plan.schema.json", async () => {
    const json = planToJson(plan);
    expect(validatePlan(json)).toBe(true);
    const text = JSON.stringify(json, null, 2);
    expect(text).not.toContain("SENTINEL");
    await expect(text.replace(/sha256:[0-9a-f]{64}/g, "sha256:<digest>")).toMatchFileSnapshot("__snapshots__/plan.json");
  });
});
