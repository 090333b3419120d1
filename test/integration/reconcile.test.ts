// The reconciler end to end: the real CLI, the real AWS SDK, over HTTP, against the emulator.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DescribeIdentityProviderCommand,
  ListIdentityProvidersCommand,
  UpdateIdentityProviderCommand,
  CreateIdentityProviderCommand,
  GetIdentityProviderByIdentifierCommand,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/index.js";
import { createCognitoClient } from "../../src/aws/client.js";
import { runCli, type CliRun } from "../helpers/cli.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const POOL = "us-east-1_Integ1";
const SENTINELS = {
  GOOGLE_SECRET: "SENTINEL-google-7f3a9c",
  FACEBOOK_SECRET: "SENTINEL-facebook-1b2c3d",
  AMAZON_SECRET: "SENTINEL-amazon-4e5f6a",
  APPLE_KEY: "SENTINEL-apple-private-key-8d9e0f",
  OIDC_SECRET: "SENTINEL-oidc-2a3b4c",
};

const METADATA = `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.org/md">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.org/slo"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.org/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;

const DOCS: Record<string, string> = {
  "google.yaml": `UserPoolId: ${POOL}
ProviderName: Google
ProviderType: Google
ProviderDetails:
  client_id: google-client
  client_secret: \${env:GOOGLE_SECRET}
  authorize_scopes: email openid
AttributeMapping: { email: email }
IdpIdentifiers: [g1, g0]
`,
  "facebook.yaml": `UserPoolId: ${POOL}
ProviderName: Facebook
ProviderType: Facebook
ProviderDetails: { client_id: "1234", client_secret: "\${env:FACEBOOK_SECRET}", authorize_scopes: "public_profile, email" }
`,
  "amazon.yaml": `UserPoolId: ${POOL}
ProviderName: LoginWithAmazon
ProviderType: LoginWithAmazon
ProviderDetails: { client_id: amzn-client, client_secret: "\${env:AMAZON_SECRET}", authorize_scopes: profile }
`,
  "apple.yaml": `UserPoolId: ${POOL}
ProviderName: SignInWithApple
ProviderType: SignInWithApple
ProviderDetails: { client_id: com.example, team_id: TEAM1, key_id: KEY1, private_key: "\${env:APPLE_KEY}", authorize_scopes: email }
`,
  "oidc.yaml": `UserPoolId: ${POOL}
ProviderName: corp-oidc
ProviderType: OIDC
ProviderDetails:
  client_id: oidc-client
  client_secret: \${env:OIDC_SECRET}
  attributes_request_method: GET
  oidc_issuer: https://login.example.org
  authorize_scopes: openid email
AttributeMapping: { email: email, "custom:dept": department }
`,
  "saml.yaml": `UserPoolId: ${POOL}
ProviderName: corp-saml
ProviderType: SAML
ProviderDetails:
  MetadataFile: |
${METADATA.split("\n").map((l) => `    ${l}`).join("\n")}
AttributeMapping: { email: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress" }
IdpIdentifiers: [example.org]
`,
};

let emulator: Emulator;
let client: CognitoIdentityProviderClient;
let dir: string;

function writeConfig(files: Record<string, string>): void {
  rmSync(join(dir, "config"), { recursive: true, force: true });
  mkdirSync(join(dir, "config"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "config", name), text);
}

async function cli(args: string[]): Promise<CliRun> {
  const r = await runCli([...args, "--config", join(dir, "config"), "--endpoint", emulator.url, "--log-level", "warn"], { env: SENTINELS });
  for (const secret of Object.values(SENTINELS)) {
    expect(r.stdout).not.toContain(secret);
    expect(r.stderr).not.toContain(secret);
  }
  return r;
}

function calls(): Record<string, Record<string, number>> {
  return emulator.stats().calls as Record<string, Record<string, number>>;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  client = createCognitoClient({ region: "us-east-1", endpoint: emulator.url });
});
afterAll(async () => {
  client.destroy();
  await emulator.close();
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "cis-integ-"));
  await emulator.ensureUserPool({ id: POOL, name: "integ", customAttributes: ["dept"] });
  // Each test starts from an empty pool.
  const listed = await client.send(new ListIdentityProvidersCommand({ UserPoolId: POOL, MaxResults: 60 }));
  for (const p of listed.Providers ?? []) {
    const { DeleteIdentityProviderCommand } = await import("@aws-sdk/client-cognito-identity-provider");
    await client.send(new DeleteIdentityProviderCommand({ UserPoolId: POOL, ProviderName: p.ProviderName }));
  }
  emulator.setFaults({});
  emulator.resetStats();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("plan and apply over the wire", () => {
  it("creates all six provider types from empty, then plans no changes", async () => {
    writeConfig(DOCS);
    const first = await cli(["plan", "--detailed-exitcode"]);
    expect(first.code).toBe(2);
    expect(first.stdout).toContain("Plan: 6 to create, 0 to update, 0 to replace, 0 to delete; 0 unchanged.");
    expect(first.stdout).toContain("+ ProviderDetails.client_secret: (sensitive value set)");
    expect(first.stdout).toContain("+ ProviderDetails.private_key: (sensitive value set)");

    const applied = await cli(["apply"]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("Apply: 6 of 6 changes applied (6 create, 0 update, 0 replace, 0 delete).");

    const listed = await client.send(new ListIdentityProvidersCommand({ UserPoolId: POOL, MaxResults: 60 }));
    expect((listed.Providers ?? []).map((p) => p.ProviderName).sort()).toEqual(["Facebook", "Google", "LoginWithAmazon", "SignInWithApple", "corp-oidc", "corp-saml"]);
    const google = await client.send(new DescribeIdentityProviderCommand({ UserPoolId: POOL, ProviderName: "Google" }));
    expect(google.IdentityProvider?.ProviderDetails?.["client_secret"]).toBe(SENTINELS.GOOGLE_SECRET);

    const second = await cli(["plan", "--detailed-exitcode"]);
    expect(second.stdout).toBe("No changes. The user pools match the configuration.\nPlan: 0 to create, 0 to update, 0 to replace, 0 to delete; 6 unchanged.\n");
    expect(second.code).toBe(0);
  });

  it("turns one changed key into exactly that update", async () => {
    writeConfig(DOCS);
    expect((await cli(["apply"])).code).toBe(0);
    writeConfig({ ...DOCS, "oidc.yaml": DOCS["oidc.yaml"]!.replace("authorize_scopes: openid email", "authorize_scopes: openid email profile") });
    emulator.resetStats();
    const plan = await cli(["plan", "--detailed-exitcode"]);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toBe(
      [
        "user pool us-east-1/us-east-1_Integ1",
        `  ~ update corp-oidc (OIDC)  (${join(dir, "config", "oidc.yaml")}:1)`,
        `      ~ ProviderDetails.authorize_scopes: "openid email" -> "openid email profile"`,
        "Plan: 0 to create, 1 to update, 0 to replace, 0 to delete; 5 unchanged.",
        "",
      ].join("\n"),
    );
    const apply = await cli(["apply"]);
    expect(apply.code).toBe(0);
    expect(calls()["UpdateIdentityProvider"]).toEqual({ ok: 1 });
    expect(calls()["CreateIdentityProvider"]).toBeUndefined();
    expect((await cli(["plan", "--detailed-exitcode"])).code).toBe(0);
  });

  it("shows a secret change without its value", async () => {
    writeConfig(DOCS);
    await cli(["apply"]);
    const r = await runCli(["plan", "--config", join(dir, "config"), "--endpoint", emulator.url, "--log-level", "warn"], {
      env: { ...SENTINELS, GOOGLE_SECRET: "SENTINEL-rotated-google-99" },
    });
    expect(r.stdout).toContain("~ ProviderDetails.client_secret: (sensitive value changed)");
    expect(r.stdout + r.stderr).not.toContain("SENTINEL-rotated-google-99");
    expect(r.stdout + r.stderr).not.toContain(SENTINELS.GOOGLE_SECRET);
  });

  it("reports invalid configs at file:line:col and makes no API call", async () => {
    writeConfig({
      "bad.yaml": `UserPoolId: ${POOL}\nProviderName: Gogle\nProviderType: Google\nProviderDetails: { client_id: x }\n`,
      "ok.yaml": DOCS["google.yaml"]!,
    });
    const r = await cli(["apply"]);
    expect(r.code).toBe(1);
    const file = join(dir, "config", "bad.yaml");
    expect(r.stderr).toContain(`error: ${file}:2:15: ProviderName: a Google provider must be named Google`);
    expect(r.stderr).toContain(`error: ${file}:4:1: ProviderDetails: missing required key client_secret for a Google provider`);
    expect(r.stderr).toContain("nothing was read or changed.");
    expect(calls()).toEqual({});
  });

  it("converges through throttling and concurrent modification", async () => {
    writeConfig(DOCS);
    emulator.setFaults({ quota: { scale: 0.5 }, errors: { ConcurrentModificationException: 0.3, InternalErrorException: 0.1 }, seed: 7 });
    const r = await cli(["apply", "--max-attempts", "20"]);
    expect(r.code).toBe(0);
    const c = calls();
    const faults = Object.values(c).reduce((n, byOutcome) => n + Object.entries(byOutcome).filter(([k]) => k !== "ok").reduce((m, [, v]) => m + v, 0), 0);
    expect(faults).toBeGreaterThan(0);
    emulator.setFaults({});
    expect((await cli(["plan", "--detailed-exitcode"])).code).toBe(0);
  });

  it("lists undeclared providers and prunes them only with --prune under the threshold", async () => {
    writeConfig(DOCS);
    await cli(["apply"]);
    await client.send(
      new CreateIdentityProviderCommand({ UserPoolId: POOL, ProviderName: "legacy", ProviderType: "OIDC", ProviderDetails: { client_id: "l", attributes_request_method: "GET", oidc_issuer: "https://legacy.example.org", authorize_scopes: "openid" } }),
    );
    const plan = await cli(["plan", "--detailed-exitcode"]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("? unmanaged legacy (OIDC): not declared in the config (unmanaged); --prune deletes it");
    expect((await cli(["apply"])).code).toBe(0);
    expect(calls()["DeleteIdentityProvider"]).toBeUndefined();

    const pruned = await cli(["apply", "--prune"]);
    expect(pruned.code).toBe(0);
    expect(calls()["DeleteIdentityProvider"]).toEqual({ ok: 1 });

    // Dropping 3 of 6 documents is 50% of the pool: refused without --force, and nothing is deleted.
    const { "google.yaml": _g, "facebook.yaml": _f, "amazon.yaml": _a, ...half } = DOCS;
    writeConfig(half);
    const refused = await cli(["apply", "--prune"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("refused to delete Google (Google) in us-east-1_Integ1: would delete 3 of 6 providers in us-east-1_Integ1, more than 30%; run with --force to allow");
    expect(calls()["DeleteIdentityProvider"]).toEqual({ ok: 1 });
    expect((await cli(["apply", "--prune", "--force"])).code).toBe(0);
    expect(calls()["DeleteIdentityProvider"]).toEqual({ ok: 4 });
  });

  it("refuses a type change without --allow-replace and replaces with it", async () => {
    writeConfig({ "oidc.yaml": DOCS["oidc.yaml"]! });
    await cli(["apply"]);
    writeConfig({ "oidc.yaml": `UserPoolId: ${POOL}\nProviderName: corp-oidc\nProviderType: SAML\nProviderDetails: { MetadataURL: "https://idp.example.org/md" }\n` });
    const refused = await cli(["apply"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("refused to replace corp-oidc (OIDC -> SAML)");
    const replaced = await cli(["apply", "--allow-replace"]);
    expect(replaced.code).toBe(0);
    const d = await client.send(new DescribeIdentityProviderCommand({ UserPoolId: POOL, ProviderName: "corp-oidc" }));
    expect(d.IdentityProvider?.ProviderType).toBe("SAML");
  });

  it("moves and swaps identifiers between providers in one apply", async () => {
    const saml = (name: string, ids: string[]) =>
      `UserPoolId: ${POOL}\nProviderName: ${name}\nProviderType: SAML\nProviderDetails: { MetadataURL: "https://${name}.example.org/md" }\nIdpIdentifiers: [${ids.join(", ")}]\n`;
    writeConfig({ "a.yaml": saml("idp-a", ["a.example.org", "shared.example.org"]), "b.yaml": saml("idp-b", ["b.example.org"]) });
    expect((await cli(["apply"])).code).toBe(0);
    // idp-a gives shared.example.org to idp-b, and the two swap their own domains.
    writeConfig({ "a.yaml": saml("idp-a", ["b.example.org"]), "b.yaml": saml("idp-b", ["a.example.org", "shared.example.org"]) });
    emulator.resetStats();
    const applied = await cli(["apply"]);
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    // One release write each, then each final update: no write was refused.
    expect(calls()["UpdateIdentityProvider"]).toEqual({ ok: 4 });
    const owner = async (id: string) =>
      (await client.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId: POOL, IdpIdentifier: id }))).IdentityProvider?.ProviderName;
    expect([await owner("a.example.org"), await owner("b.example.org"), await owner("shared.example.org")]).toEqual(["idp-b", "idp-a", "idp-b"]);
    expect((await cli(["plan", "--detailed-exitcode"])).code).toBe(0);
  });

  it("refuses at plan time to claim an identifier an unmanaged provider holds", async () => {
    await client.send(
      new CreateIdentityProviderCommand({ UserPoolId: POOL, ProviderName: "legacy", ProviderType: "SAML", ProviderDetails: { MetadataURL: "https://legacy.example.org/md" }, IdpIdentifiers: ["example.org"] }),
    );
    writeConfig({ "saml.yaml": DOCS["saml.yaml"]! });
    emulator.resetStats();
    const refused = await cli(["apply"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'error: refused to create corp-saml (SAML) in us-east-1_Integ1: identifier "example.org" is still used by live provider legacy, which this plan does not change (unmanaged, or its change is refused); remove it there, declare that provider, or run with --prune',
    );
    expect(calls()["CreateIdentityProvider"]).toBeUndefined();
    // With --prune the holder is deleted first and the create then succeeds.
    expect((await cli(["apply", "--prune", "--force"])).code).toBe(0);
    expect(calls()["DeleteIdentityProvider"]).toEqual({ ok: 1 });
    expect(calls()["CreateIdentityProvider"]).toEqual({ ok: 1 });
  });

  it("plans the pools it can read and fails, saying so, for a pool it cannot", async () => {
    writeConfig({
      "oidc.yaml": DOCS["oidc.yaml"]!,
      "missing.yaml": DOCS["google.yaml"]!.replace(`UserPoolId: ${POOL}`, "UserPoolId: us-east-1_NoSuchPool"),
    });
    const plan = await cli(["plan", "--detailed-exitcode"]);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain("user pool us-east-1/us-east-1_NoSuchPool\n  ! not read, so not planned: user pool us-east-1_NoSuchPool does not exist in us-east-1 (User pool us-east-1_NoSuchPool does not exist.)\n");
    expect(plan.stdout).toContain("Plan: 1 to create, 0 to update, 0 to replace, 0 to delete; 0 unchanged; 1 user pool not read.");
    expect(plan.stdout).not.toContain("No changes");
    expect(plan.stderr).toContain("error: user pool us-east-1_NoSuchPool does not exist in us-east-1 (User pool us-east-1_NoSuchPool does not exist.)\n");
    const apply = await cli(["apply"]);
    expect(apply.code).toBe(1);
    expect(calls()["CreateIdentityProvider"]).toEqual({ ok: 1 });
    // Once the readable pool is converged, the unreadable one still fails the run and is named.
    const again = await cli(["apply"]);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain("No changes in the user pools that could be read.");
    expect(again.stderr).toContain("error: user pool us-east-1_NoSuchPool does not exist in us-east-1 (User pool us-east-1_NoSuchPool does not exist.)\n");
    expect(again.stderr).toContain("Nothing to apply in the user pools that could be read.");
  });

  it("restores a provider edited out of band", async () => {
    writeConfig(DOCS);
    await cli(["apply"]);
    await client.send(new UpdateIdentityProviderCommand({ UserPoolId: POOL, ProviderName: "Facebook", ProviderDetails: { client_id: "9999", client_secret: "x", authorize_scopes: "email" } }));
    const plan = await cli(["plan"]);
    expect(plan.stdout).toContain('~ ProviderDetails.client_id: "9999" -> "1234"');
    expect((await cli(["apply"])).code).toBe(0);
    expect((await cli(["plan", "--detailed-exitcode"])).code).toBe(0);
  });
});
