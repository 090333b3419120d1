// The daemon against the emulator, through the real SDK: convergence between ticks, no overlap,
// health/readiness, metrics that match the emulator's own counters, and a clean SIGTERM.
import { spawn } from "node:child_process";
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { DescribeIdentityProviderCommand, ListIdentityProvidersCommand, UpdateIdentityProviderCommand } from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import { maskedOutput, type CliIO } from "../../src/cli/io.js";
import { createLogger } from "../../src/cli/logger.js";
import { DEFAULT_PLAN_OPTIONS } from "../../src/core/plan.js";
import { Daemon } from "../../src/daemon/daemon.js";
import { DaemonMetrics } from "../../src/daemon/metrics.js";
import { startHttp } from "../../src/daemon/server.js";
import { useEmulatorWorkspace } from "../helpers/emulator.js";

const SECRET = "SENTINEL-daemon-secret-4242";
const ws = useEmulatorWorkspace("cis-daemon-");

function providers(pool: string, count: number): string {
  return Array.from(
    { length: count },
    (_, i) => `UserPoolId: ${pool}
ProviderName: idp-${i}
ProviderType: OIDC
ProviderDetails:
  client_id: c${i}
  client_secret: \${env:DAEMON_SECRET}
  attributes_request_method: GET
  oidc_issuer: https://idp${i}.example.com
  authorize_scopes: openid
`,
  ).join("---\n");
}

function makeDaemon(config: string, logs: string[]) {
  const io: CliIO = { stdout: (t) => logs.push(t), stderr: (t) => logs.push(t), env: { DAEMON_SECRET: SECRET }, cwd: ws.dir, stdoutIsTTY: false, stderrIsTTY: false };
  const output = maskedOutput(io);
  const log = createLogger(output.err, "debug", "json", false);
  const metrics = new DaemonMetrics();
  const daemon = new Daemon(
    { config, endpoint: ws.emulator.url, concurrency: 2, plan: DEFAULT_PLAN_OPTIONS, dryRun: false, stuckAfterMs: 60_000, maxBackoffTicks: 4 },
    io,
    output,
    log,
    metrics,
  );
  return { daemon, metrics };
}

/** A small Prometheus text parser: `name{labels} value` lines into a map. */
function parseProm(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    if (!m) throw new Error(`not Prometheus text: ${line}`);
    out.set(`${m[1]}${m[2] ?? ""}`, Number(m[3]));
  }
  return out;
}

describe("daemon", () => {
  it("converges after out-of-band changes between ticks, and /metrics matches the emulator's counters", async () => {
    const pool = "us-east-1_Daemon1";
    await ws.emulator.ensureUserPool({ id: pool });
    const config = join(ws.dir, "c1");
    mkdirSync(config);
    writeFileSync(join(config, "idps.yaml"), providers(pool, 3));
    const logs: string[] = [];
    const { daemon, metrics } = makeDaemon(config, logs);
    const http = await startHttp(daemon, metrics, "127.0.0.1:0");
    try {
      expect((await fetch(`${http.url}/readyz`)).status).toBe(503); // no run yet
      ws.emulator.resetStats();
      expect(await daemon.tick()).toBe("success");
      expect((await ws.client.send(new ListIdentityProvidersCommand({ UserPoolId: pool, MaxResults: 60 }))).Providers).toHaveLength(3);
      await ws.client.send(new UpdateIdentityProviderCommand({ UserPoolId: pool, ProviderName: "idp-1", ProviderDetails: { client_id: "hijacked", attributes_request_method: "GET", oidc_issuer: "https://evil.example.com", authorize_scopes: "openid" } }));
      expect(await daemon.tick()).toBe("success");
      const d = await ws.client.send(new DescribeIdentityProviderCommand({ UserPoolId: pool, ProviderName: "idp-1" }));
      expect(d.IdentityProvider?.ProviderDetails?.["client_id"]).toBe("c1");
      expect(d.IdentityProvider?.ProviderDetails?.["client_secret"]).toBe(SECRET);
      expect((await fetch(`${http.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${http.url}/healthz`)).status).toBe(200);

      const res = await fetch(`${http.url}/metrics`);
      const text = await res.text();
      expect(text).not.toContain(SECRET);
      const prom = parseProm(text);
      expect(prom.get('cognito_idp_sync_runs_total{result="success"}')).toBe(2);
      expect(prom.get('cognito_idp_sync_changes_applied_total{action="create",status="applied"}')).toBe(3);
      expect(prom.get('cognito_idp_sync_changes_applied_total{action="update",status="applied"}')).toBe(1);
      // Our API-call counters equal the emulator's, less the test's own three direct SDK calls.
      const direct: Record<string, number> = { ListIdentityProviders: 1, UpdateIdentityProvider: 1, DescribeIdentityProvider: 1 };
      const calls = ws.emulator.stats().calls;
      expect(Object.keys(calls).sort()).toEqual(["CreateIdentityProvider", "DescribeIdentityProvider", "ListIdentityProviders", "UpdateIdentityProvider"]);
      for (const [op, outcomes] of Object.entries(calls)) {
        const ours = prom.get(`cognito_idp_sync_api_calls_total{operation="${op}",outcome="ok"}`) ?? 0;
        expect([op, ours]).toEqual([op, (outcomes["ok"] ?? 0) - (direct[op] ?? 0)]);
      }
      expect(logs.join("")).not.toContain(SECRET);
      expect(logs.join("")).toMatch(/"pool":"us-east-1_Daemon1","provider":"idp-1","action":"update","status":"applied","msg":"change applied"/);
    } finally {
      await daemon.stop();
      http.server.close();
    }
  });

  it("skips a tick while a run is in progress and counts it; readiness follows the config", async () => {
    const pool = "us-east-1_Daemon2";
    await ws.emulator.ensureUserPool({ id: pool });
    const config = join(ws.dir, "c2");
    mkdirSync(config);
    writeFileSync(join(config, "idps.yaml"), providers(pool, 2));
    const { daemon, metrics } = makeDaemon(config, []);
    ws.emulator.setFaults({ latencyMs: { min: 50, max: 50 } });
    try {
      const first = daemon.tick();
      expect(daemon.running).toBe(true);
      expect(await daemon.tick()).toBe("skipped");
      expect(await first).toBe("success");
      const prom = parseProm(await metrics.registry.metrics());
      expect(prom.get('cognito_idp_sync_ticks_skipped_total{reason="overlap"}')).toBe(1);
    } finally {
      ws.emulator.setFaults({});
    }
    writeFileSync(join(config, "idps.yaml"), "UserPoolId: [broken\n");
    expect(await daemon.tick()).toBe("invalid_config");
    expect(daemon.ready()).toBe(false);
    // After a failure the next tick is skipped (backoff), then it runs again.
    expect(await daemon.tick()).toBe("skipped");
    writeFileSync(join(config, "idps.yaml"), providers(pool, 2));
    expect(await daemon.tick()).toBe("success");
    expect(daemon.ready()).toBe(true);
    await daemon.stop();
  });

  it("on SIGTERM during an apply finishes the write in flight, leaves nothing half-applied and exits 0", async () => {
    const pool = "us-east-1_Daemon3";
    await ws.emulator.ensureUserPool({ id: pool });
    const config = join(ws.dir, "c3");
    mkdirSync(config);
    writeFileSync(join(config, "idps.yaml"), providers(pool, 6));
    ws.emulator.resetStats();
    ws.emulator.setFaults({ script: Array.from({ length: 6 }, () => ({ operation: "CreateIdentityProvider", latencyMs: 400 })) });
    const child = spawn(process.execPath, ["bin/cognito-idp-sync.js", "daemon", "--config", config, "--endpoint", ws.emulator.url, "--schedule", "0 0 1 1 *", "--listen", "127.0.0.1:0"], {
      env: { ...process.env, DAEMON_SECRET: SECRET },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let logs = "";
    child.stdout.on("data", (d: Buffer) => (logs += d.toString()));
    child.stderr.on("data", (d: Buffer) => (logs += d.toString()));
    // Wait until the first create is in flight, then ask it to stop.
    await new Promise<void>((resolve) => {
      const check = () => (/"action":"create"/.test(logs) || /CreateIdentityProvider/.test(JSON.stringify(ws.emulator.stats())) ? resolve() : setTimeout(check, 20));
      check();
    });
    const t0 = Date.now();
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
    const stopMs = Date.now() - t0;
    ws.emulator.setFaults({});
    expect(code).toBe(0);
    expect(stopMs).toBeLessThan(10_000);
    expect(logs).toContain("stopping: no new runs; waiting for the write in flight");
    expect(logs).not.toContain(SECRET);
    const listed = (await ws.client.send(new ListIdentityProvidersCommand({ UserPoolId: pool, MaxResults: 60 }))).Providers ?? [];
    expect(listed.length).toBeGreaterThanOrEqual(1);
    expect(listed.length).toBeLessThan(6);
    // Every provider that exists is complete: exactly as declared.
    for (const p of listed) {
      const d = await ws.client.send(new DescribeIdentityProviderCommand({ UserPoolId: pool, ProviderName: p.ProviderName }));
      const i = p.ProviderName!.split("-")[1];
      expect(d.IdentityProvider?.ProviderDetails?.["client_id"]).toBe(`c${i}`);
      expect(d.IdentityProvider?.ProviderDetails?.["client_secret"]).toBe(SECRET);
    }
  });
});
