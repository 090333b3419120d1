// `npm run soak`: the reliability figures issue #4 asks for, over many seeds. Prints figures; the
// assertions live in test/hostile/reliability.test.ts (which runs a few seeds of the same scenarios).
//   SOAK_STORMS (default 24): applies under a fault profile (8 profiles, in turn), then a clean rerun.
//   SOAK_PROFILES (default all): a comma-separated subset of the profiles.
//   SOAK_KILLS  (default 10): applies killed with SIGKILL at a random point, then a rerun.
// Every run starts from a converged pool of 10 providers plus one undeclared provider, and changes two
// keys of every declared provider, so a provider left half-updated would show as a mix of old and new.
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { CreateIdentityProviderCommand, DescribeIdentityProviderCommand } from "@aws-sdk/client-cognito-identity-provider";
import { createCognitoClient } from "../dist/aws/client.js";
import { main } from "../dist/cli/main.js";
import { startEmulator } from "../dist/emulator/index.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const storms = Number(process.env.SOAK_STORMS ?? 24);
const kills = Number(process.env.SOAK_KILLS ?? 10);
const SECRETS = { OIDC_SECRET: "SOAK-SENTINEL-oidc-31337", APPLE_KEY: "SOAK-SENTINEL-apple-key-27182" };

const PROFILES = {
  throttling: { quota: { scale: 0.2 } },
  "concurrent-modification": { errors: { ConcurrentModificationException: 0.5 } },
  "internal-errors": { errors: { InternalErrorException: 0.3 } },
  latency: { latencyMs: { min: 50, max: 250 } },
  "dropped-connections": { dropConnection: 0.15 },
  "slow-past-timeout": { latencyMs: { min: 0, max: 700 } },
  "mostly-down": { errors: { InternalErrorException: 0.8 } },
  mix: { quota: { scale: 0.5 }, errors: { ConcurrentModificationException: 0.2, InternalErrorException: 0.1 }, dropConnection: 0.05, latencyMs: { min: 0, max: 50 } },
};
const RETRY_ARGS = ["--max-attempts", "8", "--max-retry-time", "20000", "--request-timeout", "500"];

const dir = mkdtempSync(join(tmpdir(), "cis-soak-"));
const emulator = await startEmulator({ port: 0 });
const client = createCognitoClient({ region: "us-east-1", endpoint: emulator.url });
let poolNo = 0;

function docs(pool, generation) {
  const scopes = generation === 0 ? "openid" : "openid email";
  const out = [
    `UserPoolId: ${pool}\nProviderName: SignInWithApple\nProviderType: SignInWithApple\nProviderDetails:\n  client_id: apple-g${generation}\n  team_id: T\n  key_id: K\n  private_key: \${env:APPLE_KEY}\n  authorize_scopes: ${generation === 0 ? "email" : "email name"}\n`,
  ];
  for (let i = 0; i < 9; i++) {
    out.push(
      `UserPoolId: ${pool}\nProviderName: oidc-${i}\nProviderType: OIDC\nProviderDetails:\n  client_id: c${i}-g${generation}\n  client_secret: \${env:OIDC_SECRET}\n  attributes_request_method: GET\n  oidc_issuer: https://i${i}.example.com\n  authorize_scopes: ${scopes}\nIdpIdentifiers: [id-${i}]\n`,
    );
  }
  return out.join("---\n");
}

async function cli(argv) {
  let text = "";
  const io = { stdout: (t) => void (text += t), stderr: (t) => void (text += t), env: { ...SECRETS }, cwd: dir, stdoutIsTTY: false, stderrIsTTY: false };
  const code = await main(argv, io);
  return { code, text };
}

/** A converged pool at generation 0 with one undeclared provider; the config then moves to generation 1. */
async function freshPool() {
  const pool = `us-east-1_Soak${++poolNo}`;
  await emulator.ensureUserPool({ id: pool });
  const config = join(dir, `cfg${poolNo}`);
  mkdirSync(config);
  writeFileSync(join(config, "idps.yaml"), docs(pool, 0));
  const first = await cli(["apply", "--config", config, "--endpoint", emulator.url, "--log-level", "warn"]);
  if (first.code !== 0) throw new Error(`setup apply failed: ${first.text}`);
  await client.send(
    new CreateIdentityProviderCommand({ UserPoolId: pool, ProviderName: "undeclared", ProviderType: "SAML", ProviderDetails: { MetadataURL: "https://keep.example.com/md" } }),
  );
  writeFileSync(join(config, "idps.yaml"), docs(pool, 1));
  return { pool, config };
}

/** Each declared provider is wholly at generation 0 or wholly at 1 (two keys changed together). */
async function halfUpdated(pool) {
  let half = 0;
  let updated = 0;
  const names = ["SignInWithApple", ...Array.from({ length: 9 }, (_, i) => `oidc-${i}`)];
  for (const name of names) {
    const d = (await client.send(new DescribeIdentityProviderCommand({ UserPoolId: pool, ProviderName: name }))).IdentityProvider.ProviderDetails;
    const newId = d.client_id.endsWith("-g1");
    const newScopes = name === "SignInWithApple" ? d.authorize_scopes === "email name" : d.authorize_scopes === "openid email";
    if (newId !== newScopes) half++;
    if (newId && newScopes) updated++;
  }
  return { half, updated };
}

async function undeclaredUntouched(pool) {
  const d = await client.send(new DescribeIdentityProviderCommand({ UserPoolId: pool, ProviderName: "undeclared" }));
  return d.IdentityProvider.ProviderDetails.MetadataURL === "https://keep.example.com/md";
}

const totals = { runs: 0, faultsInjected: 0, callsSlowed: 0, convergedFirstTime: 0, failedCleanly: 0, failedUnclearly: 0, convergedAfterRerun: 0, halfUpdated: 0, secretsLeaked: 0, deletes: 0, undeclaredTouched: 0, maxApplyMs: 0 };
const leaks = (text) => Object.values(SECRETS).filter((s) => text.includes(s)).length;

async function settle(pool, config, row) {
  emulator.setFaults({});
  const rerun = await cli(["apply", "--config", config, "--endpoint", emulator.url, "--log-level", "warn"]);
  const plan = await cli(["plan", "--config", config, "--endpoint", emulator.url, "--detailed-exitcode"]);
  totals.secretsLeaked += leaks(rerun.text) + leaks(plan.text);
  const converged = rerun.code === 0 && plan.code === 0;
  if (converged) totals.convergedAfterRerun++;
  if (!(await undeclaredUntouched(pool))) totals.undeclaredTouched++;
  row.push(`rerun ${converged ? "converged" : `NOT CONVERGED (apply ${rerun.code}, plan ${plan.code})`}`);
}

// SOAK_PROFILES=throttling,mix runs only those profiles.
const names = process.env.SOAK_PROFILES ? process.env.SOAK_PROFILES.split(",") : Object.keys(PROFILES);
for (const n of names) if (!PROFILES[n]) throw new Error(`unknown profile ${n}; known: ${Object.keys(PROFILES).join(", ")}`);
console.log(`soak: ${storms} fault-storm runs (${names.length} profiles in turn), ${kills} killed applies; 10 declared + 1 undeclared provider per run`);
for (let i = 0; i < storms; i++) {
  const profile = names[i % names.length];
  const seed = 1000 + i;
  const { pool, config } = await freshPool();
  emulator.setFaults({ ...PROFILES[profile], seed });
  emulator.resetStats();
  const t0 = performance.now();
  const r = await cli(["apply", "--config", config, "--endpoint", emulator.url, "--log-level", "warn", ...RETRY_ARGS]);
  const ms = performance.now() - t0;
  const stats = emulator.stats().calls;
  emulator.setFaults({});
  totals.runs++;
  totals.maxApplyMs = Math.max(totals.maxApplyMs, ms);
  const injected = Object.values(stats).reduce((s, o) => s + Object.entries(o).filter(([k]) => k !== "ok").reduce((t, [, v]) => t + v, 0), 0);
  totals.faultsInjected += injected;
  // Latency is not an error outcome in the emulator's counters: every call of a latency profile was slowed.
  const slowed = PROFILES[profile].latencyMs ? Object.values(stats).reduce((s, o) => s + Object.values(o).reduce((t, v) => t + v, 0), 0) : 0;
  totals.callsSlowed += slowed;
  totals.deletes += stats.DeleteIdentityProvider?.ok ?? 0;
  totals.secretsLeaked += leaks(r.text);
  const { half, updated } = await halfUpdated(pool);
  totals.halfUpdated += half;
  const row = [`storm ${String(i + 1).padStart(3)} ${profile.padEnd(24)} seed ${seed}`, `faults ${String(injected).padStart(3)}`, `slowed ${String(slowed).padStart(3)}`, `${ms.toFixed(0).padStart(6)} ms`];
  if (r.code === 0) {
    totals.convergedFirstTime++;
    row.push("apply exit 0");
  } else {
    // A clean failure names each failed provider on its own line.
    const lines = r.text.split("\n");
    const failedLines = lines.filter((l) => l.startsWith("FAILED: ")).length;
    const firstError = lines.find((l) => l.startsWith("FAILED: ") || l.startsWith("error: ")) ?? "(no error line)";
    if (r.code === 1 && firstError !== "(no error line)") totals.failedCleanly++;
    else totals.failedUnclearly++;
    row.push(`apply exit ${r.code}, ${failedLines} providers FAILED, ${updated}/10 updated; first: ${firstError.slice(0, 140)}`);
  }
  await settle(pool, config, row);
  console.log(row.join("  "));
}

for (let i = 0; i < kills; i++) {
  const seed = 2000 + i;
  const { pool, config } = await freshPool();
  emulator.setFaults({ latencyMs: { min: 20, max: 80 }, seed });
  emulator.resetStats();
  let out = "";
  const child = spawn(process.execPath, ["bin/cognito-idp-sync.js", "apply", "--config", config, "--endpoint", emulator.url, "--log-level", "debug"], {
    env: { ...process.env, ...SECRETS },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (b) => (out += b));
  child.stderr.on("data", (b) => (out += b));
  const killAfter = 400 + Math.floor((((seed * 2654435761) >>> 0) / 2 ** 32) * 5000); // spread over the whole apply
  const timer = setTimeout(() => child.kill("SIGKILL"), killAfter);
  const code = await new Promise((resolve) => child.once("close", (c) => resolve(c)));
  clearTimeout(timer);
  totals.runs++;
  totals.secretsLeaked += leaks(out);
  const stats = emulator.stats().calls;
  totals.deletes += stats.DeleteIdentityProvider?.ok ?? 0;
  const { half, updated } = await halfUpdated(pool);
  totals.halfUpdated += half;
  const row = [`kill  ${String(i + 1).padStart(3)} after ${String(killAfter).padStart(4)} ms`, code === null ? `killed with ${updated}/10 updated` : `finished first (exit ${code})`];
  await settle(pool, config, row);
  console.log(row.join("  "));
}

console.log(
  [
    `runs ${totals.runs}`,
    `faults injected ${totals.faultsInjected} (errors, throttles, dropped connections) + ${totals.callsSlowed} calls slowed by latency`,
    `storm applies converged first time ${totals.convergedFirstTime}`,
    `failed cleanly ${totals.failedCleanly}`,
    `failed unclearly ${totals.failedUnclearly}`,
    `converged after rerun ${totals.convergedAfterRerun}/${totals.runs}`,
    `providers left half-updated ${totals.halfUpdated}`,
    `secrets leaked ${totals.secretsLeaked}`,
    `deletes ${totals.deletes} (none outside the declared set: no --prune)`,
    `undeclared provider touched ${totals.undeclaredTouched}`,
    `longest storm apply ${(totals.maxApplyMs / 1000).toFixed(1)} s`,
  ].join("\n"),
);
client.destroy();
await emulator.close();
rmSync(dir, { recursive: true, force: true });
