// A Cognito-compatible HTTP server (awsJson 1.1) for the identity-provider and user-pool operations
// the tool needs, with fault injection and call counters. Embeddable (startEmulator) or standalone
// (`cognito-idp-sync emulator`).
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { ServiceError } from "./errors.js";
import { FaultInjector, parseFaultSpec, type FaultSpec } from "./faults.js";
import {
  createIdentityProvider,
  deleteIdentityProvider,
  describeIdentityProvider,
  getIdentityProviderByIdentifier,
  listIdentityProviders,
  updateIdentityProvider,
  type Json,
  type PoolDirectory,
} from "./identityProviders.js";
import { emptyState, loadState, saveState, type EmulatorState } from "./store.js";
import { createUserPool, deleteUserPool, describeUserPool, listUserPools, makePool } from "./userPools.js";

export { parseFaultSpec, type FaultSpec } from "./faults.js";

export interface EmulatorOptions {
  /** 0 = an ephemeral port. */
  readonly port?: number;
  readonly host?: string;
  /** Persist to this JSON file (atomic writes). */
  readonly statePath?: string | undefined;
  readonly faults?: FaultSpec | undefined;
  /** Clock in ms (token buckets and timestamps); injectable for tests. */
  readonly now?: () => number;
  readonly log?: (line: string) => void;
}

export type CallStats = Record<string, Record<string, number>>;

export interface RunningEmulator {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
  stats(): { calls: CallStats };
  resetStats(): void;
  setFaults(spec: FaultSpec): void;
  ensureUserPool(pool: { id: string; name?: string; customAttributes?: readonly string[] }): Promise<void>;
}

const TARGET_PREFIX = "awscognitoidentityproviderservice.";
const MAX_BODY_BYTES = 2 * 1024 * 1024;

type Operation = (input: Json, ctx: { region: string }) => Json;

function regionFrom(req: IncomingMessage): string {
  // SigV4 credential scope: Credential=AKID/20260101/us-east-1/cognito-idp/aws4_request
  const m = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(req.headers.authorization ?? "");
  return m?.[1] ?? "us-east-1";
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const now = options.now ?? Date.now;
  const state: EmulatorState = options.statePath ? loadState(options.statePath) : emptyState();
  const persist = () => {
    if (options.statePath) saveState(options.statePath, state);
  };
  const faults = new FaultInjector(options.faults, now);
  let calls: CallStats = {};
  const count = (op: string, outcome: string) => {
    const byOutcome = (calls[op] ??= {});
    byOutcome[outcome] = (byOutcome[outcome] ?? 0) + 1;
  };
  const seconds = () => now() / 1000;
  const dir: PoolDirectory = { find: (id) => state.pools.find((p) => p.Id === id), now: seconds, changed: persist };
  const ops: Record<string, Operation> = {
    CreateIdentityProvider: (i) => createIdentityProvider(dir, i),
    UpdateIdentityProvider: (i) => updateIdentityProvider(dir, i),
    DescribeIdentityProvider: (i) => describeIdentityProvider(dir, i),
    ListIdentityProviders: (i) => listIdentityProviders(dir, i),
    DeleteIdentityProvider: (i) => deleteIdentityProvider(dir, i),
    GetIdentityProviderByIdentifier: (i) => getIdentityProviderByIdentifier(dir, i),
    CreateUserPool: (i, ctx) => {
      const r = createUserPool(state, i, ctx.region, seconds());
      persist();
      return r;
    },
    DescribeUserPool: (i) => describeUserPool(state, i),
    ListUserPools: (i) => listUserPools(state, i),
    DeleteUserPool: (i) => {
      const r = deleteUserPool(state, i);
      persist();
      return r;
    },
  };
  const opsByLowerName = new Map(Object.keys(ops).map((k) => [k.toLowerCase(), k]));

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/x-amz-json-1.1",
      "content-length": Buffer.byteLength(text),
      "x-amzn-requestid": randomUUID(),
      ...headers,
    });
    res.end(text);
  };
  const sendError = (res: ServerResponse, e: ServiceError) => send(res, e.status, { __type: e.type, message: e.message }, { "x-amzn-errortype": e.type });

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on("end", () => void handle(req, res, Buffer.concat(chunks).toString("utf8"), size));
  });

  async function handle(req: IncomingMessage, res: ServerResponse, body: string, size: number): Promise<void> {
    const url = req.url ?? "/";
    if (url.startsWith("/_emulator/")) return admin(req, res, url, body);
    if (req.method !== "POST" || url !== "/") return sendError(res, new ServiceError("UnknownOperationException", `Unsupported request ${req.method} ${url}`));
    const target = String(req.headers["x-amz-target"] ?? "");
    const op = target.toLowerCase().startsWith(TARGET_PREFIX) ? opsByLowerName.get(target.slice(TARGET_PREFIX.length).toLowerCase()) : undefined;
    if (!op) return sendError(res, new ServiceError("UnknownOperationException", `Unknown operation ${target || "(no X-Amz-Target header)"}`));
    if (size > MAX_BODY_BYTES) {
      count(op, "SerializationException");
      return sendError(res, new ServiceError("SerializationException", "Request body too large."));
    }
    let input: Json;
    try {
      const parsed: unknown = body.trim() === "" ? {} : JSON.parse(body);
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
      input = parsed as Json;
    } catch {
      count(op, "SerializationException");
      return sendError(res, new ServiceError("SerializationException", "Start of structure or map found where not expected."));
    }
    const latency = faults.latencyMs(op);
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    const decision = faults.decide(op, typeof input["UserPoolId"] === "string" ? (input["UserPoolId"] as string) : undefined);
    if (decision.kind === "drop") {
      count(op, "dropped");
      req.socket.destroy();
      return;
    }
    if (decision.kind === "error") {
      count(op, decision.type);
      return sendError(res, new ServiceError(decision.type, decision.message));
    }
    try {
      const result = (ops[op] as Operation)(input, { region: regionFrom(req) });
      count(op, "ok");
      send(res, 200, result);
    } catch (error) {
      if (error instanceof ServiceError) {
        count(op, error.type);
        return sendError(res, error);
      }
      count(op, "InternalErrorException");
      options.log?.(`internal error in ${op}: ${(error as Error).stack ?? String(error)}`);
      sendError(res, new ServiceError("InternalErrorException", "Internal server error."));
    }
  }

  function admin(req: IncomingMessage, res: ServerResponse, url: string, body: string): void {
    if (req.method === "GET" && url === "/_emulator/stats") return send(res, 200, { calls });
    if (req.method === "POST" && url === "/_emulator/stats/reset") {
      calls = {};
      return send(res, 200, { calls });
    }
    if (req.method === "POST" && url === "/_emulator/faults") {
      try {
        faults.set(parseFaultSpec(body || "{}"));
        return send(res, 200, { ok: true });
      } catch (error) {
        return send(res, 400, { message: (error as Error).message });
      }
    }
    send(res, 404, { message: `no admin route ${req.method} ${url}` });
  }

  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? "127.0.0.1";
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
    stats: () => ({ calls: structuredClone(calls) }),
    resetStats: () => {
      calls = {};
    },
    setFaults: (spec) => faults.set(spec),
    ensureUserPool: async ({ id, name, customAttributes }) => {
      const existing = state.pools.find((p) => p.Id === id);
      if (existing) {
        const missing = (customAttributes ?? []).filter((a) => !existing.CustomAttributes.includes(a));
        if (missing.length === 0) return;
        existing.CustomAttributes.push(...missing);
      } else state.pools.push(makePool(id, name ?? id, customAttributes ?? [], seconds()));
      persist();
    },
  };
}

/** `cognito-idp-sync emulator`: runs until SIGTERM/SIGINT, then closes and resolves. */
export async function emulatorCommand(
  options: { port: number; host?: string; state?: string | undefined; faults?: string | undefined },
  print: (line: string) => void,
): Promise<void> {
  const emulator = await startEmulator({
    port: options.port,
    host: options.host ?? "127.0.0.1",
    statePath: options.state,
    faults: options.faults ? parseFaultSpec(options.faults) : undefined,
    log: print,
  });
  print(`listening on ${emulator.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
      void emulator.close().then(resolve);
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
}
