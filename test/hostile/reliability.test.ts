// Reliability: secrets never leak on any path, concurrent applies converge, an apply killed at any
// point is finished by the next one, and a fault storm ends converged or in a clear, bounded failure.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CreateIdentityProviderCommand, DescribeIdentityProviderCommand } from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../src/emulator/prng.js";
import { runCli } from "../helpers/cli.js";
import { useEmulatorWorkspace } from "../helpers/emulator.js";

const SENTINELS = { A_SECRET: "SENTINEL-aaa-111-secret", B_SECRET: "SENTINEL-bbb-222-secret", APPLE_KEY: "SENTINEL-ccc-333-private\nSENTINEL-ccc-333-line-two" };
const FILE_SECRET = "SENTINEL-ddd-444-from-file";
const ALL = [...Object.values(SENTINELS).flatMap((v) => v.split("\n")), FILE_SECRET];

const ws = useEmulatorWorkspace("cis-rel-");
let n = 0;

function setup(count: number) {
  const pool = `us-east-1_Rel${++n}`;
  const config = join(ws.dir, `cfg${n}`);
  mkdirSync(config);
  writeFileSync(join(config, "secret.txt"), FILE_SECRET + "\n");
  const docs = [
    `UserPoolId: ${pool}\nProviderName: SignInWithApple\nProviderType: SignInWithApple\nProviderDetails:\n  client_id: c\n  team_id: T\n  key_id: K\n  private_key: \${env:APPLE_KEY}\n  authorize_scopes: email\n`,
    `UserPoolId: ${pool}\nProviderName: Google\nProviderType: Google\nProviderDetails:\n  client_id: g\n  client_secret: \${file:secret.txt}\n  authorize_scopes: openid\n`,
    ...Array.from({ length: count }, (_, i) => `UserPoolId: ${pool}\nProviderName: oidc-${i}\nProviderType: OIDC\nProviderDetails:\n  client_id: c${i}\n  client_secret: \${env:${i % 2 ? "A_SECRET" : "B_SECRET"}}\n  attributes_request_method: GET\n  oidc_issuer: https://i${i}.example.com\n  authorize_scopes: openid\nIdpIdentifiers: [id-${i}]\n`),
  ];
  writeFileSync(join(config, "idps.yaml"), docs.join("---\n"));
  return { pool, config, total: docs.length };
}

function assertNoLeak(text: string, where: string): void {
  for (const s of ALL) expect(text.includes(s), `${where} contains a secret`).toBe(false);
}

describe("secret hygiene", () => {
  it("no secret appears in any output, log, plan file or export, on success or error paths", async () => {
    await ws.emulator.ensureUserPool({ id: `us-east-1_Rel${n + 1}` });
    const { pool, config } = setup(3);
    const env = { ...SENTINELS, GITHUB_STEP_SUMMARY: join(ws.dir, `summary-${n}.md`) };
    const base = ["--config", config, "--endpoint", ws.emulator.url, "--log-level", "trace"];
    const outputs: string[] = [];
    const run = async (args: string[], extraEnv: Record<string, string> = {}) => {
      const r = await runCli(args, { env: { ...env, ...extraEnv }, cwd: ws.dir });
      outputs.push(`$ ${args.join(" ")}\n${r.stdout}\n${r.stderr}`);
      return r;
    };
    await run(["validate", ...base]);
    for (const format of ["text", "json", "markdown"]) for (const logFormat of ["json", "pretty"]) await run(["plan", ...base, "--format", format, "--log-format", logFormat, "--out", `plan-${n}.json`]);
    // Error paths: throttling and internal errors until retries run out, then a config error.
    ws.emulator.setFaults({ errors: { InternalErrorException: 1 } });
    const failed = await run(["apply", ...base, "--max-attempts", "2"]);
    expect(failed.code).toBe(1);
    ws.emulator.setFaults({});
    expect((await run(["apply", ...base, "--rotate-secrets"])).code).toBe(0);
    expect((await run(["apply", ...base, "--rotate-secrets"])).stdout).toContain("~ ProviderDetails.private_key: (write-only, sent again)");
    await run(["plan", ...base], { A_SECRET: "SENTINEL-aaa-111-secret-rotated" });
    writeFileSync(join(config, "broken.yaml"), `UserPoolId: ${pool}\nProviderName: x\nProviderType: OIDC\nProviderDetails: { client_id: "\${env:A_SECRET}" }\n`);
    await run(["plan", ...base], { GITHUB_ACTIONS: "true" });
    rmSync(join(config, "broken.yaml"));
    await run(["export", "--user-pool-id", pool, "--endpoint", ws.emulator.url, "--output", `export-${n}`, "--log-level", "trace"]);
    const files = [
      readFileSync(join(ws.dir, `plan-${n}.json`), "utf8"),
      readFileSync(env.GITHUB_STEP_SUMMARY, "utf8"),
      ...readdirSync(join(ws.dir, `export-${n}`)).map((f) => readFileSync(join(ws.dir, `export-${n}`, f), "utf8")),
    ];
    // GitHub's ::add-mask:: lines are the one place a secret is written, on purpose, to the runner.
    const all = outputs.join("\n").replace(/^::add-mask::.*$/gm, "");
    assertNoLeak(all, "outputs");
    assertNoLeak(files.join("\n"), "files");
    expect(all.includes("SENTINEL-aaa-111-secret-rotated")).toBe(false);
    expect(all).toContain("(sensitive value changed)");
    expect(outputs.length).toBe(13);
  });
});

describe("concurrency and crash safety", () => {
  it("two applies at once (a CronJob overlap) end in the desired state", async () => {
    await ws.emulator.ensureUserPool({ id: `us-east-1_Rel${n + 1}` });
    const { pool, config, total } = setup(6);
    const args = ["apply", "--config", config, "--endpoint", ws.emulator.url, "--log-level", "info"];
    const [a, b] = await Promise.all([runCli(args, { env: SENTINELS, cwd: ws.dir }), runCli(args, { env: SENTINELS, cwd: ws.dir })]);
    expect([a.code, b.code]).toEqual([0, 0]);
    // The loser of each create race describes and updates instead (cognito-behaviour.md §8.1).
    expect(a.stderr + b.stderr).toMatch(/already existed \(created concurrently\); updated instead/);
    const plan = await runCli(["plan", "--config", config, "--endpoint", ws.emulator.url, "--detailed-exitcode"], { env: SENTINELS, cwd: ws.dir });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`${total} unchanged`);
    void pool;
  });

  it("an apply killed at random points is finished by the next apply, and never touches what is not declared", async () => {
    const rand = mulberry32(2026);
    let killedMidway = 0;
    for (let seed = 0; seed < 4; seed++) {
      await ws.emulator.ensureUserPool({ id: `us-east-1_Rel${n + 1}` });
      const { pool, config, total } = setup(5);
      await ws.client.send(new CreateIdentityProviderCommand({ UserPoolId: pool, ProviderName: "undeclared", ProviderType: "SAML", ProviderDetails: { MetadataURL: "https://keep.example.com/md" } }));
      ws.emulator.setFaults({ latencyMs: { min: 20, max: 60 }, seed });
      const child = spawn(process.execPath, ["bin/cognito-idp-sync.js", "apply", "--config", config, "--endpoint", ws.emulator.url, "--log-level", "warn"], {
        env: { ...process.env, ...SENTINELS },
        stdio: "ignore",
      });
      const killAfter = 300 + Math.floor(rand() * 900);
      const timer = setTimeout(() => child.kill("SIGKILL"), killAfter);
      const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
      clearTimeout(timer);
      if (code === null) killedMidway++;
      ws.emulator.setFaults({});
      const again = await runCli(["apply", "--config", config, "--endpoint", ws.emulator.url, "--log-level", "warn"], { env: SENTINELS, cwd: ws.dir });
      expect(again.code).toBe(0);
      const plan = await runCli(["plan", "--config", config, "--endpoint", ws.emulator.url, "--detailed-exitcode"], { env: SENTINELS, cwd: ws.dir });
      expect(plan.code).toBe(0);
      expect(plan.stdout).toContain(`${total} unchanged, 1 unmanaged`);
      const kept = await ws.client.send(new DescribeIdentityProviderCommand({ UserPoolId: pool, ProviderName: "undeclared" }));
      expect(kept.IdentityProvider?.ProviderDetails?.["MetadataURL"]).toBe("https://keep.example.com/md");
    }
    expect(killedMidway).toBeGreaterThan(0);
  });

  // CIS_SOAK_RUNS=N repeats the storm with N seeds (CI runs 2; a soak runs hundreds).
  const soakRuns = Number(process.env["CIS_SOAK_RUNS"] ?? 2);
  it.each(Array.from({ length: soakRuns }, (_, i) => 99 + i))("a fault storm (seed %i) ends converged, or fails cleanly within bounded attempts", async (seed) => {
    await ws.emulator.ensureUserPool({ id: `us-east-1_Rel${n + 1}` });
    const { config, total } = setup(8);
    ws.emulator.setFaults({ quota: { scale: 0.5 }, errors: { ConcurrentModificationException: 0.2, InternalErrorException: 0.1 }, dropConnection: 0.05, latencyMs: { min: 0, max: 20 }, seed });
    ws.emulator.resetStats();
    const r = await runCli(["apply", "--config", config, "--endpoint", ws.emulator.url, "--log-level", "warn", "--max-attempts", "12", "--request-timeout", "5000"], { env: SENTINELS, cwd: ws.dir });
    const stats = ws.emulator.stats().calls;
    const injected = Object.values(stats).reduce((s, o) => s + Object.entries(o).filter(([k]) => k !== "ok").reduce((t, [, v]) => t + v, 0), 0);
    expect(injected).toBeGreaterThan(0);
    ws.emulator.setFaults({});
    if (r.code !== 0) expect(r.stderr).toMatch(/FAILED: /);
    const final = await runCli(["apply", "--config", config, "--endpoint", ws.emulator.url, "--log-level", "warn"], { env: SENTINELS, cwd: ws.dir });
    expect(final.code).toBe(0);
    const plan = await runCli(["plan", "--config", config, "--endpoint", ws.emulator.url, "--detailed-exitcode"], { env: SENTINELS, cwd: ws.dir });
    expect(plan.stdout).toContain(`${total} unchanged`);
  });
});

describe("bounded failure and deletion safety", () => {
  it("a call slower than the request timeout is retried, then fails with a clear per-provider error", async () => {
    await ws.emulator.ensureUserPool({ id: `us-east-1_Rel${n + 1}` });
    const { config } = setup(0);
    ws.emulator.setFaults({ script: Array.from({ length: 3 }, () => ({ operation: "CreateIdentityProvider", latencyMs: 1500 })) });
    ws.emulator.resetStats();
    const t0 = Date.now();
    const r = await runCli(["apply", "--config", config, "--endpoint", ws.emulator.url, "--log-level", "warn", "--request-timeout", "300", "--max-attempts", "2"], { env: SENTINELS, cwd: ws.dir });
    const elapsed = Date.now() - t0;
    ws.emulator.setFaults({});
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FAILED: create (Google|SignInWithApple) \((Google|SignInWithApple)\) in us-east-1_Rel\d+: TimeoutError: /);
    expect(elapsed).toBeLessThan(20_000);
    // The timed-out creates may still land on the server later; the next apply converges either way.
    expect((await runCli(["apply", "--config", config, "--endpoint", ws.emulator.url, "--log-level", "warn"], { env: SENTINELS, cwd: ws.dir })).code).toBe(0);
  });

  it("an empty or broken config never deletes anything, even with --prune --force", async () => {
    await ws.emulator.ensureUserPool({ id: `us-east-1_Rel${n + 1}` });
    const { config } = setup(2);
    expect((await runCli(["apply", "--config", config, "--endpoint", ws.emulator.url, "--log-level", "warn"], { env: SENTINELS, cwd: ws.dir })).code).toBe(0);
    ws.emulator.resetStats();
    const empty = join(ws.dir, `empty-${n}`);
    mkdirSync(empty);
    const r1 = await runCli(["apply", "--config", empty, "--endpoint", ws.emulator.url, "--prune", "--force"], { env: SENTINELS, cwd: ws.dir });
    expect(r1.code).toBe(0);
    writeFileSync(join(config, "zz-broken.yaml"), "UserPoolId: [\n");
    const r2 = await runCli(["apply", "--config", config, "--endpoint", ws.emulator.url, "--prune", "--force"], { env: SENTINELS, cwd: ws.dir });
    expect(r2.code).toBe(1);
    expect(ws.emulator.stats().calls).toEqual({});
  });
});
