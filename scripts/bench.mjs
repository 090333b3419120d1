// `npm run bench`: how long a reconcile of many providers takes against the emulator with the
// service's default quotas, and how many calls it makes. Prints figures; asserts nothing.
// Sizes: BENCH_POOLS (default 3) x BENCH_PROVIDERS per pool (default 60).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { startEmulator } from "../dist/emulator/index.js";
import { main } from "../dist/cli/main.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const pools = Number(process.env.BENCH_POOLS ?? 3);
const perPool = Number(process.env.BENCH_PROVIDERS ?? 60);
const quotaScale = Number(process.env.BENCH_QUOTA_SCALE ?? 1);

const dir = mkdtempSync(join(tmpdir(), "cis-bench-"));
const emulator = await startEmulator({ port: 0, faults: { quota: { scale: quotaScale } } });
const poolIds = Array.from({ length: pools }, (_, i) => `us-east-1_Bench${i}`);
for (const id of poolIds) await emulator.ensureUserPool({ id, name: id });
let text = "";
for (const id of poolIds) {
  for (let i = 0; i < perPool; i++) {
    text += `---\nUserPoolId: ${id}\nProviderName: oidc-${i}\nProviderType: OIDC\nProviderDetails:\n  client_id: client-${i}\n  client_secret: \${env:BENCH_SECRET}\n  attributes_request_method: GET\n  oidc_issuer: https://idp${i}.example.com\n  authorize_scopes: openid email\nIdpIdentifiers: [idp-${i}]\n`;
  }
}
writeFileSync(join(dir, "providers.yaml"), text);

const io = { stdout: () => {}, stderr: () => {}, env: { BENCH_SECRET: "bench-secret-value" }, cwd: dir, stdoutIsTTY: false, stderrIsTTY: false };
const args = ["--config", dir, "--endpoint", emulator.url, "--log-level", "silent", "--rate-scale", String(quotaScale)];

function totals() {
  const calls = emulator.stats().calls;
  const byOp = {};
  let throttled = 0;
  for (const [op, outcomes] of Object.entries(calls)) {
    byOp[op] = outcomes.ok ?? 0;
    throttled += outcomes.TooManyRequestsException ?? 0;
  }
  return { byOp, throttled };
}

async function timed(label, argv, expectCode) {
  emulator.resetStats();
  const t0 = performance.now();
  const code = await main(argv, io);
  const ms = performance.now() - t0;
  const { byOp, throttled } = totals();
  const calls = Object.values(byOp).reduce((a, b) => a + b, 0);
  console.log(`${label.padEnd(28)} ${ms.toFixed(0).padStart(7)} ms  exit ${code}${code === expectCode ? "" : ` (expected ${expectCode})`}  calls ${calls}  throttled ${throttled}  ${JSON.stringify(byOp)}`);
}

console.log(`bench: ${pools} pools x ${perPool} OIDC providers = ${pools * perPool}; quotas at ${quotaScale}x the service defaults`);
await timed("plan (empty pools)", ["plan", ...args, "--detailed-exitcode"], 2);
await timed("apply (create all)", ["apply", ...args], 0);
await timed("plan (no changes)", ["plan", ...args, "--detailed-exitcode"], 0);
writeFileSync(join(dir, "providers.yaml"), text.replace(/authorize_scopes: openid email/g, "authorize_scopes: openid email profile"));
await timed("apply (update all)", ["apply", ...args], 0);

// The pure core alone: load + validate + plan of the same config with live state already in hand.
const { loadDesired } = await import("../dist/config/loadDesired.js");
const { computePlan } = await import("../dist/core/plan.js");
const t0 = performance.now();
const loaded = loadDesired(dir, io.env, dir);
const t1 = performance.now();
computePlan(loaded.state, { pools: [] });
const t2 = performance.now();
console.log(`core: load+validate ${(t1 - t0).toFixed(1)} ms, plan ${(t2 - t1).toFixed(1)} ms for ${loaded.state.providers.length} providers`);

await emulator.close();
rmSync(dir, { recursive: true, force: true });
