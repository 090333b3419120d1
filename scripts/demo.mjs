// `npm start`: the main job against the embedded Cognito emulator, no AWS account needed.
// plan -> apply -> plan again (which must show no changes) for every example in config-examples/idps/.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "cognito-idp-sync-demo-"));
const state = join(dir, "emulator-state.json");
// Stand-in secrets for the examples' ${env:...} references. Watch them: they never appear in output.
const env = {
  ...process.env,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  GOOGLE_CLIENT_SECRET: process.env.GOOGLE_CLIENT_SECRET ?? "demo-google-client-secret",
  FACEBOOK_APP_SECRET: process.env.FACEBOOK_APP_SECRET ?? "demo-facebook-app-secret",
  AMAZON_CLIENT_SECRET: process.env.AMAZON_CLIENT_SECRET ?? "demo-amazon-client-secret",
  APPLE_PRIVATE_KEY: process.env.APPLE_PRIVATE_KEY ?? "demo-apple-private-key-not-a-real-key",
  CORP_OIDC_CLIENT_SECRET: process.env.CORP_OIDC_CLIENT_SECRET ?? "demo-corp-oidc-client-secret",
};
const common = ["--config", "config-examples/idps", "--local", "--local-state", state, "--log-level", "warn"];

function step(title, args, expected) {
  process.stdout.write(`\n\u001b[1m$ cognito-idp-sync ${args.join(" ").replace(state, "<temp state>")}\u001b[0m   # ${title}\n`);
  const r = spawnSync(process.execPath, ["bin/cognito-idp-sync.js", ...args], { stdio: "inherit", env });
  if (r.status !== expected) {
    process.stderr.write(`demo: expected exit ${expected}, got ${r.status}\n`);
    rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  }
}

step("check the config", ["validate", "--config", "config-examples/idps"], 0);
step("what would change (exit 2: changes)", ["plan", ...common, "--detailed-exitcode"], 2);
step("make it so", ["apply", ...common], 0);
step("plan again: nothing to do (exit 0)", ["plan", ...common, "--detailed-exitcode"], 0);
rmSync(dir, { recursive: true, force: true });
process.stdout.write("\ndemo: all steps behaved as expected.\n");
