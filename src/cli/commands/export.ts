// `export`: adopt what already exists. Writes the live providers of a pool as YAML documents whose
// plan is empty, with secrets as ${env:...} references.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Logger } from "pino";
import { stringify } from "yaml";
import { readLiveState } from "../../aws/liveState.js";
import { exportPool, type ExportedDocument } from "../../core/exportProvider.js";
import { regionOfPoolId } from "../../core/serviceConstraints.js";
import { connect, type ConnectionOptions } from "../context.js";
import type { CliIO, Output } from "../io.js";

export interface ExportOptions extends ConnectionOptions {
  readonly userPoolId: string;
  readonly output?: string | undefined;
  readonly force: boolean;
}

const HEADER = "# Exported by cognito-idp-sync; secrets are ${env:...} references (see the list printed on stderr).\n";

function toYaml(e: ExportedDocument): string {
  return stringify(e.document, { lineWidth: 0, blockQuote: "literal" });
}

export async function exportCommand(options: ExportOptions, io: CliIO, output: Output, log: Logger): Promise<number> {
  const region = options.region ?? regionOfPoolId(options.userPoolId);
  if (!region) {
    output.err(`error: ${options.userPoolId} has no region prefix; pass --region\n`);
    return 1;
  }
  const pool = { region, userPoolId: options.userPoolId };
  const connection = await connect(options, { providers: [], pools: [pool] }, log);
  try {
    const live = await readLiveState(connection.gateway, [pool], 1);
    if (live.errors.length > 0) {
      for (const e of live.errors) output.err(`error: ${e.message}\n`);
      return 1;
    }
    const providers = live.state.pools[0]?.providers ?? [];
    // Every value read here that is sensitive is registered, so nothing prints it by accident.
    for (const p of providers) for (const [k, v] of Object.entries(p.providerDetails)) if (k === "client_secret" || k === "private_key") output.secrets.add(v);
    const exported = exportPool(providers);
    if (options.output) {
      const dir = resolve(io.cwd, options.output);
      mkdirSync(dir, { recursive: true });
      const clashes = exported.filter((e) => existsSync(join(dir, e.fileName)));
      if (clashes.length > 0 && !options.force) {
        output.err(`error: would overwrite ${clashes.map((e) => join(options.output as string, e.fileName)).join(", ")}; pass --force to overwrite\n`);
        return 1;
      }
      for (const e of exported) writeFileSync(join(dir, e.fileName), HEADER + toYaml(e));
      output.err(`wrote ${exported.length} provider${exported.length === 1 ? "" : "s"} to ${options.output}\n`);
    } else {
      output.out(exported.map((e) => toYaml(e)).join("---\n"));
    }
    const env = exported.flatMap((e) => e.env);
    if (env.length > 0) {
      output.err("Set these environment variables (or change the references to ${file:...}) before plan or apply:\n");
      for (const v of env) output.err(`  ${v.name}: ${v.holds}\n`);
    }
    return 0;
  } finally {
    await connection.close();
  }
}
