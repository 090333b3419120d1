// State survives restarts and kill -9 mid-write; a corrupt state file is an error, never an empty start.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateIdentityProviderCommand, ListIdentityProvidersCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, describe, expect, it } from "vitest";
import { createCognitoClient } from "../../src/aws/client.js";
import { startEmulator } from "../../src/emulator/index.js";

const dir = mkdtempSync(join(tmpdir(), "cis-persist-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const oidc = (pool: string, name: string) =>
  new CreateIdentityProviderCommand({ UserPoolId: pool, ProviderName: name, ProviderType: "OIDC", ProviderDetails: { client_id: "c", attributes_request_method: "GET", oidc_issuer: "https://i.example.com", authorize_scopes: "openid" } });

describe("persistence", () => {
  it("keeps every provider across a restart", async () => {
    const statePath = join(dir, "restart.json");
    const a = await startEmulator({ port: 0, statePath });
    await a.ensureUserPool({ id: "us-east-1_Keep1" });
    const c1 = createCognitoClient({ region: "us-east-1", endpoint: a.url });
    for (let i = 0; i < 5; i++) await c1.send(oidc("us-east-1_Keep1", `idp-${i}`));
    c1.destroy();
    await a.close();
    const b = await startEmulator({ port: 0, statePath });
    const c2 = createCognitoClient({ region: "us-east-1", endpoint: b.url });
    const listed = await c2.send(new ListIdentityProvidersCommand({ UserPoolId: "us-east-1_Keep1", MaxResults: 60 }));
    expect(listed.Providers?.map((p) => p.ProviderName)).toEqual(["idp-0", "idp-1", "idp-2", "idp-3", "idp-4"]);
    c2.destroy();
    await b.close();
  });

  it("refuses a corrupt or foreign state file and leaves it untouched", async () => {
    const corrupt = join(dir, "corrupt.json");
    writeFileSync(corrupt, '{"version": 1, "pools": [');
    await expect(startEmulator({ port: 0, statePath: corrupt })).rejects.toThrow(/^emulator state file .*corrupt\.json is corrupt \(.*\); move it away to start empty$/);
    expect(readFileSync(corrupt, "utf8")).toBe('{"version": 1, "pools": [');
    const foreign = join(dir, "foreign.json");
    writeFileSync(foreign, '{"hello": "world"}');
    await expect(startEmulator({ port: 0, statePath: foreign })).rejects.toThrow("is not an emulator state (version 1 with pools)");
  });

  it("survives kill -9 in the middle of writes: the state is the acknowledged prefix, maybe plus the write in flight", async () => {
    const statePath = join(dir, "kill.json");
    const seed = await startEmulator({ port: 0, statePath });
    await seed.ensureUserPool({ id: "us-east-1_Kill1" });
    await seed.close();
    for (let round = 0; round < 3; round++) {
      const child: ChildProcess = spawn(process.execPath, ["bin/cognito-idp-sync.js", "emulator", "--port", "0", "--state", statePath], { stdio: ["ignore", "pipe", "inherit"] });
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once("exit", (code) => reject(new Error(`emulator exited ${code}`)));
      });
      const client = createCognitoClient({ region: "us-east-1", endpoint: url });
      const before = (await client.send(new ListIdentityProvidersCommand({ UserPoolId: "us-east-1_Kill1", MaxResults: 60 }))).Providers?.length ?? 0;
      let acked = 0;
      const inflight: Promise<unknown>[] = [];
      // Keep several writes in flight, and kill after a number of acknowledgements that varies by round.
      const killAfter = 5 + round * 7;
      await new Promise<void>((resolve) => {
        const next = (i: number) => {
          const p = client.send(oidc("us-east-1_Kill1", `r${round}-${i}`)).then(
            () => {
              acked++;
              if (acked === killAfter) {
                child.kill("SIGKILL");
                resolve();
              } else if (acked < killAfter) next(i + 4);
            },
            () => resolve(),
          );
          inflight.push(p);
        };
        for (let i = 0; i < 4; i++) next(i);
      });
      await Promise.allSettled(inflight);
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once("exit", r)));
      client.destroy();
      const reopened = await startEmulator({ port: 0, statePath });
      const c = createCognitoClient({ region: "us-east-1", endpoint: reopened.url });
      const after = (await c.send(new ListIdentityProvidersCommand({ UserPoolId: "us-east-1_Kill1", MaxResults: 60 }))).Providers?.length ?? 0;
      c.destroy();
      await reopened.close();
      expect(after - before).toBeGreaterThanOrEqual(acked);
      expect(after - before).toBeLessThanOrEqual(acked + 4);
    }
  });
});
