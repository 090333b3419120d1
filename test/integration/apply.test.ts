// The apply executor against the emulator, for races the CLI's plan-then-apply cannot stage.
import { CreateIdentityProviderCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, expect, it } from "vitest";
import { applyPlan } from "../../src/apply/apply.js";
import { CognitoGateway } from "../../src/aws/gateway.js";
import { computePlan } from "../../src/core/plan.js";
import type { DesiredProvider, PoolRef } from "../../src/core/types.js";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator.js";

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(async () => t.close());

function samlProvider(pool: PoolRef, idpIdentifiers: string[] | undefined): DesiredProvider {
  return {
    key: { ...pool, providerName: "corp" },
    providerType: "SAML",
    providerDetails: { MetadataURL: "https://corp.example.org/md" },
    attributeMapping: undefined,
    idpIdentifiers,
    acrMapping: undefined,
    source: { file: "corp.yaml", line: 1, col: 1 },
    secretKeys: [],
  };
}

it("reports a create whose identifier was taken after planning with the service's error, not as a missing provider", async () => {
  const userPoolId = await t.createPool();
  const pool = { region: "us-east-1", userPoolId };
  const wanted = samlProvider(pool, ["example.org"]);
  const plan = computePlan({ providers: [wanted], pools: [pool] }, { pools: [{ ...pool, providers: [] }] });
  // Between plan and apply, someone else takes the identifier.
  await t.client.send(
    new CreateIdentityProviderCommand({ UserPoolId: userPoolId, ProviderName: "other", ProviderType: "SAML", ProviderDetails: { MetadataURL: "https://o.example.org/md" }, IdpIdentifiers: ["example.org"] }),
  );
  const gateway = new CognitoGateway({ clientFor: () => t.client });
  const result = await applyPlan(plan, gateway, { concurrency: 1 });
  expect(result.outcomes.map((o) => [o.status, o.error])).toEqual([
    ["failed", `DuplicateProviderException: Identifier example.org is already used by identity provider other in user pool ${userPoolId}.`],
  ]);
});

it("says a write went through when only reading it back failed", async () => {
  const userPoolId = await t.createPool();
  const pool = { region: "us-east-1", userPoolId };
  const wanted = samlProvider(pool, undefined);
  const plan = computePlan({ providers: [wanted], pools: [pool] }, { pools: [{ ...pool, providers: [] }] });
  t.emulator.resetStats();
  t.emulator.setFaults({ script: [{ operation: "DescribeIdentityProvider", error: "InternalErrorException", count: 2 }] });
  const gateway = new CognitoGateway({ clientFor: () => t.client, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 1000 } });
  const result = await applyPlan(plan, gateway, { concurrency: 1 });
  t.emulator.setFaults({});
  expect(result.outcomes.map((o) => [o.status, o.error])).toEqual([["failed", "written, but could not be read back to verify: InternalErrorException: Injected InternalErrorException"]]);
  expect(t.emulator.stats().calls["CreateIdentityProvider"]).toEqual({ ok: 1 });
});
