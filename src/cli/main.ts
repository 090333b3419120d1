// cognito-idp-sync: the command line (design.md "CLI"). Commands live in ./commands; this file only
// declares flags and maps them to options. `main` never calls process.exit, so tests run it in-process.
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { DEFAULT_PLAN_OPTIONS } from "../core/plan.js";
import { createLogger, type LogFormat } from "./logger.js";
import { maskedOutput, processIO, type CliIO } from "./io.js";
import { EXIT, applyCommand, planCommand, validateCommand, type PlanFormat } from "./commands/reconcile.js";
import { emulatorCommand } from "./commands/emulator.js";
import { exportCommand } from "./commands/export.js";
import { daemonCommand } from "./commands/daemon.js";

export const VERSION = "0.1.0";

/** `--plan`, `--apply` and `--validate` are accepted in place of the subcommand (design.md). */
export function normaliseArgv(argv: readonly string[]): string[] {
  const aliases: Record<string, string> = { "--plan": "plan", "--apply": "apply", "--validate": "validate" };
  const commands = new Set(["plan", "apply", "validate", "export", "daemon", "emulator", "help"]);
  if (argv.some((a) => commands.has(a))) return [...argv];
  const i = argv.findIndex((a) => a in aliases);
  if (i < 0) return [...argv];
  return [aliases[argv[i] as string] as string, ...argv.slice(0, i), ...argv.slice(i + 1)];
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number of at least 1");
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("must be a number above 0");
  return n;
}

interface RawCommon {
  config: string;
  endpoint?: string;
  local?: boolean;
  localState?: string;
  region?: string;
  concurrency: number;
  logLevel: string;
  logFormat?: LogFormat;
  color: boolean;
  rateScale: number;
  maxAttempts?: number;
  maxRetryTime?: number;
  requestTimeout?: number;
}

function addCommon(cmd: Command, needsConfig = true): Command {
  if (needsConfig) cmd.requiredOption("-c, --config <dir>", "directory of *.yaml/*.yml identity-provider documents");
  return cmd
    .option("--endpoint <url>", "a Cognito-compatible endpoint instead of AWS (e.g. the emulator)")
    .option("--local", "start the embedded Cognito emulator in-process, with the config's user pools")
    .option("--local-state <file>", "with --local: keep the emulator's state in this file between runs")
    .option("--region <region>", "AWS region (default: the prefix of each UserPoolId)")
    .option("--concurrency <n>", "user pools processed in parallel", positiveInt, 4)
    .option("--rate-scale <x>", "multiply the client-side request-rate limits (for raised quotas)", positiveNumber, 1)
    .option("--max-attempts <n>", "attempts per API call, retries included", positiveInt)
    .option("--max-retry-time <ms>", "no retry starts after this many ms of one call", positiveInt)
    .option("--request-timeout <ms>", "per-request timeout in ms", positiveInt)
    .addOption(new Option("--log-level <level>", "log level").choices(["trace", "debug", "info", "warn", "error", "silent"]).default("info"))
    .addOption(new Option("--log-format <format>", "log format (default: pretty on a terminal, else json)").choices(["json", "pretty"]))
    .option("--no-color", "no colour in output");
}

function addPlanFlags(cmd: Command): Command {
  return cmd
    .option("--prune", "delete live providers that no document declares", false)
    .option("--allow-replace", "allow a ProviderType change (delete + create)", false)
    .option("--force", "allow deletes above the safety threshold", false)
    .option("--max-delete-percent <n>", "refuse when deletes exceed this share of a pool's providers", positiveNumber, 30)
    .option("--rotate-secrets", "send write-only secrets (Apple private_key) even when nothing else changed", false)
    .addOption(new Option("--format <format>", "plan output format").choices(["text", "json", "markdown"]).default("text"));
}

export interface Runtime {
  /** Aborted on SIGTERM/SIGINT (set up by bin/): no new write starts, the one in flight finishes. */
  readonly signal?: AbortSignal | undefined;
}

export async function main(argv: readonly string[], io: CliIO = processIO(), runtime: Runtime = {}): Promise<number> {
  const output = maskedOutput(io);
  let exitCode: number = EXIT.ok;
  const makeLogger = (o: RawCommon) =>
    createLogger(output.err, o.logLevel, o.logFormat ?? (io.stderrIsTTY ? "pretty" : "json"), o.color && io.stderrIsTTY && !io.env["NO_COLOR"]);
  const common = (o: RawCommon) => ({
    config: o.config,
    endpoint: o.endpoint,
    local: o.local,
    localState: o.localState,
    region: o.region,
    concurrency: o.concurrency,
    rateScale: o.rateScale,
    maxAttempts: o.maxAttempts,
    maxRetryTimeMs: o.maxRetryTime,
    requestTimeoutMs: o.requestTimeout,
  });
  type RawPlan = RawCommon & {
    prune: boolean;
    allowReplace: boolean;
    force: boolean;
    maxDeletePercent: number;
    rotateSecrets: boolean;
    format: PlanFormat;
    out?: string;
    detailedExitcode?: boolean;
    expectNoChanges?: boolean;
  };
  const planOptions = (o: RawPlan) => ({
    ...common(o),
    ...DEFAULT_PLAN_OPTIONS,
    prune: o.prune,
    allowReplace: o.allowReplace,
    force: o.force,
    maxDeleteFraction: o.maxDeletePercent / 100,
    rotateSecrets: o.rotateSecrets,
    format: o.format,
    out: o.out,
    detailedExitcode: Boolean(o.detailedExitcode),
    expectNoChanges: Boolean(o.expectNoChanges),
    color: o.color && io.stdoutIsTTY && !io.env["NO_COLOR"],
  });

  const program = new Command("cognito-idp-sync")
    .description("Make Amazon Cognito user-pool identity providers match YAML kept in Git.")
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: output.out, writeErr: output.err })
    .showHelpAfterError();

  addCommon(program.command("validate").description("check the config: schema, cross-document rules, secret references (no AWS calls)")).action(
    (o: RawCommon) => {
      exitCode = validateCommand(o, io, output, makeLogger(o));
    },
  );

  addPlanFlags(
    addCommon(program.command("plan").description("show what apply would change"))
      .option("--out <file>", "also write the plan as JSON to this file")
      .option("--detailed-exitcode", "exit 2 when there are changes, 0 when none", false)
      .option("--expect-no-changes", "drift check: exit 2 and say so when anything would change", false),
  ).action(async (o: RawPlan) => {
    exitCode = await planCommand(planOptions(o), io, output, makeLogger(o));
  });

  addPlanFlags(
    addCommon(program.command("apply").argument("[plan-file]", "a plan saved by `plan --out`; refused if the live state or config changed since").description("make the user pools match the config")),
  ).action(async (planFile: string | undefined, o: RawPlan) => {
    exitCode = await applyCommand({ ...planOptions(o), signal: runtime.signal, planFile }, io, output, makeLogger(o));
  });

  addPlanFlags(addCommon(program.command("daemon").description("reconcile on a schedule; serve /healthz, /readyz and /metrics")))
    .requiredOption("--schedule <cron>", 'cron schedule, e.g. "*/5 * * * *"')
    .option("--listen <host:port>", "address of the health and metrics endpoints", ":8080")
    .option("--jitter <seconds>", "random delay before each scheduled run", (v) => Number(v), 0)
    .option("--dry-run", "only report drift; never change anything", false)
    .option("--stuck-after <seconds>", "/healthz fails when a run takes longer than this", positiveInt, 900)
    .action(async (o: RawPlan & { schedule: string; listen: string; jitter: number; dryRun: boolean; stuckAfter: number }) => {
      const base = planOptions(o);
      exitCode = await daemonCommand(
        {
          ...base,
          plan: { prune: base.prune, allowReplace: base.allowReplace, force: base.force, maxDeleteFraction: base.maxDeleteFraction, rotateSecrets: base.rotateSecrets },
          dryRun: o.dryRun,
          stuckAfterMs: o.stuckAfter * 1000,
          maxBackoffTicks: 16,
          schedule: o.schedule,
          listen: o.listen,
          jitterSeconds: o.jitter,
        },
        io,
        output,
        makeLogger({ ...o, logFormat: o.logFormat ?? (io.stderrIsTTY ? "pretty" : "json") }),
        runtime.signal,
      );
    });

  addCommon(program.command("export").description("write a pool's live providers as YAML documents (adopt what exists)"), false)
    .requiredOption("--user-pool-id <id>", "the user pool to export")
    .option("--output <dir>", "write one file per provider here (default: all documents to stdout)")
    .option("--force", "overwrite existing files in --output", false)
    .action(async (o: RawCommon & { userPoolId: string; output?: string; force: boolean }) => {
      exitCode = await exportCommand({ ...common(o), userPoolId: o.userPoolId, output: o.output, force: o.force }, io, output, makeLogger(o));
    });

  program
    .command("emulator")
    .description("run the Cognito-compatible emulator (for demos, tests and planning without AWS)")
    .option("--port <port>", "port to listen on (0 = any free port)", (v) => Number(v), 9229)
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--state <file>", "persist state in this JSON file (written atomically)")
    .option("--faults <json-or-file>", "fault-injection spec (quota, errors, latency, dropped connections)")
    .action(async (o: { port: number; host: string; state?: string; faults?: string }) => {
      exitCode = await emulatorCommand(o, output);
    });

  try {
    await program.parseAsync(normaliseArgv(argv), { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    output.err(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.error;
  }
}
