// The emulator's state and its persistence: one JSON file, rewritten atomically (temp file, fsync,
// rename) after every write, so a kill at any moment leaves either the old or the new state.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import type { ProviderType } from "../core/providerTypes.js";

export interface StoredProvider {
  ProviderName: string;
  ProviderType: ProviderType;
  /** Exactly what the caller sent (write-only keys included); derived keys are added on read. */
  ProviderDetails: Record<string, string>;
  AttributeMapping: Record<string, string>;
  IdpIdentifiers: string[];
  AcrMapping?: Record<string, string> | undefined;
  CreationDate: number;
  LastModifiedDate: number;
  /** Bumped on every write; seeds the rotating SAML ActiveEncryptionCertificate. */
  Revision: number;
}

export interface StoredPool {
  Id: string;
  Name: string;
  Arn: string;
  CreationDate: number;
  LastModifiedDate: number;
  CustomAttributes: string[];
  DeletionProtection: "ACTIVE" | "INACTIVE";
  Providers: StoredProvider[];
}

export interface EmulatorState {
  version: 1;
  pools: StoredPool[];
}

export function emptyState(): EmulatorState {
  return { version: 1, pools: [] };
}

/** Loads a state file; a file that exists but is not a valid state is an error, never an empty start. */
export function loadState(path: string): EmulatorState {
  if (!existsSync(path)) return emptyState();
  const text = readFileSync(path, "utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`emulator state file ${path} is corrupt (${(error as Error).message}); move it away to start empty`);
  }
  const s = parsed as Partial<EmulatorState> | null;
  if (!s || s.version !== 1 || !Array.isArray(s.pools) || !s.pools.every((p) => typeof p?.Id === "string" && Array.isArray(p.Providers))) {
    throw new Error(`emulator state file ${path} is not an emulator state (version 1 with pools); move it away to start empty`);
  }
  return s as EmulatorState;
}

export function saveState(path: string, state: EmulatorState): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, JSON.stringify(state));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
