// The deployment examples: valid Kubernetes objects, strict security settings, and container args
// that the real CLI accepts.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Secret } from "kubernetes-models/v1/Secret";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { describe, expect, it } from "vitest";
import { parseSources } from "../../src/core/load.js";
import { validateDocuments } from "../../src/core/validate.js";
import { runCli } from "../helpers/cli.js";

const dir = "config-examples/kubernetes";
const objects = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
  .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), "utf8")).map((d) => ({ file: f, obj: d.toJS() as Record<string, unknown> & { kind: string } })));

const MODELS: Record<string, new (o: never) => { validate(): void }> = { CronJob, Deployment, ConfigMap, Secret, ServiceAccount };

type Container = { args: string[]; securityContext: Record<string, unknown>; livenessProbe?: unknown; readinessProbe?: unknown };
type PodSpec = { containers: Container[]; securityContext: Record<string, unknown>; serviceAccountName: string };

function podSpec(kind: string): PodSpec {
  const o = objects.find((x) => x.obj.kind === kind)!.obj as unknown as { spec: { jobTemplate?: { spec: { template: { spec: PodSpec } } }; template?: { spec: PodSpec } } };
  return (o.spec.jobTemplate ? o.spec.jobTemplate.spec.template.spec : o.spec.template!.spec) as PodSpec;
}

describe("config-examples/kubernetes", () => {
  it("every object validates against the Kubernetes schemas", () => {
    expect(objects.map((o) => o.obj.kind).sort()).toEqual(["ConfigMap", "CronJob", "Deployment", "Secret", "ServiceAccount"]);
    for (const { obj } of objects) {
      const Model = MODELS[obj.kind]!;
      expect(() => new Model(obj as never).validate(), obj.kind).not.toThrow();
    }
  });

  it("the CronJob forbids overlap and has deadlines and history limits", () => {
    const cj = objects.find((o) => o.obj.kind === "CronJob")!.obj as unknown as { spec: Record<string, unknown> & { jobTemplate: { spec: Record<string, unknown> } } };
    expect(cj.spec["concurrencyPolicy"]).toBe("Forbid");
    expect(cj.spec["startingDeadlineSeconds"]).toBeGreaterThan(0);
    expect(cj.spec.jobTemplate.spec["activeDeadlineSeconds"]).toBeGreaterThan(0);
    expect(cj.spec["successfulJobsHistoryLimit"]).toBeGreaterThan(0);
  });

  it.each(["CronJob", "Deployment"])("%s runs non-root, read-only, with no capabilities, as the IRSA service account", (kind) => {
    const spec = podSpec(kind);
    expect(spec.serviceAccountName).toBe("cognito-idp-sync");
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } });
    expect(spec.containers[0]!.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
  });

  it("the Deployment probes /healthz and /readyz on the metrics port", () => {
    const c = podSpec("Deployment").containers[0]!;
    expect(c.livenessProbe).toMatchObject({ httpGet: { path: "/healthz", port: "metrics" } });
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: "/readyz", port: "metrics" } });
  });

  it.each(["CronJob", "Deployment"])("%s's args name a real subcommand and real flags", async (kind) => {
    const args = podSpec(kind).containers[0]!.args;
    const help = await runCli([args[0]!, "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(`Usage: cognito-idp-sync ${args[0]} [options]`);
    for (const flag of args.filter((a) => a.startsWith("--"))) expect(help.stdout).toMatch(new RegExp(`(^|\\s)${flag}[ ,]`, "m"));
    const bogus = await runCli([...args, "--no-such-flag"]);
    expect(bogus.stderr).toContain("unknown option '--no-such-flag'");
  });

  it("the CronJob's args run the real apply (which reports the missing config, not a flag error)", async () => {
    const r = await runCli(podSpec("CronJob").containers[0]!.args);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("/config: config directory does not exist");
  });

  it("the ConfigMap's documents are valid provider documents", () => {
    const cm = objects.find((o) => o.obj.kind === "ConfigMap")!.obj as unknown as { data: Record<string, string> };
    const parsed = parseSources(Object.entries(cm.data).map(([path, text]) => ({ path, text })));
    const r = validateDocuments(parsed.documents, { env: () => undefined, file: () => ({ ok: true, value: "from-a-mounted-file" }) });
    expect([...parsed.errors, ...r.errors]).toEqual([]);
    expect(r.state.providers).toHaveLength(2);
  });
});

describe("config-examples/iam-policy.json", () => {
  it("grants only the identity-provider actions, on user-pool ARNs", () => {
    const policy = JSON.parse(readFileSync("config-examples/iam-policy.json", "utf8")) as { Statement: { Action: string[]; Resource: string; Effect: string }[] };
    const actions = policy.Statement.flatMap((s) => s.Action).sort();
    expect(actions).toEqual([
      "cognito-idp:CreateIdentityProvider",
      "cognito-idp:DeleteIdentityProvider",
      "cognito-idp:DescribeIdentityProvider",
      "cognito-idp:GetIdentityProviderByIdentifier",
      "cognito-idp:ListIdentityProviders",
      "cognito-idp:UpdateIdentityProvider",
    ]);
    for (const s of policy.Statement) {
      expect(s.Effect).toBe("Allow");
      expect(s.Resource).toMatch(/^arn:aws:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[\w-]+_[0-9A-Za-z]+$/);
    }
  });
});
