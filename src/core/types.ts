// The values that flow through the pipeline: files -> DesiredState -> LiveState -> Plan -> ApplyResult.
import type { ProviderType } from "./providerTypes.js";

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** A problem with the user's input, pinned to where it is. */
export interface LocatedError {
  readonly location: SourceLocation;
  /** Path inside the document, e.g. `ProviderDetails.client_id` ("" for the document itself). */
  readonly path: string;
  readonly message: string;
}

export function formatLocatedError(e: LocatedError): string {
  const where = `${e.location.file}:${e.location.line}:${e.location.col}`;
  return e.path ? `${where}: ${e.path}: ${e.message}` : `${where}: ${e.message}`;
}

/** Identity of a provider (design.md): (Region, UserPoolId, ProviderName). */
export interface ProviderKey {
  readonly region: string;
  readonly userPoolId: string;
  readonly providerName: string;
}

export interface PoolRef {
  readonly region: string;
  readonly userPoolId: string;
}

export function poolId(p: PoolRef): string {
  return `${p.region}/${p.userPoolId}`;
}

export function providerId(k: ProviderKey): string {
  return `${k.region}/${k.userPoolId}/${k.providerName}`;
}

export interface ProviderSpec {
  readonly providerType: ProviderType;
  readonly providerDetails: Readonly<Record<string, string>>;
  readonly attributeMapping: Readonly<Record<string, string>> | undefined;
  readonly idpIdentifiers: readonly string[] | undefined;
  readonly acrMapping: Readonly<Record<string, string>> | undefined;
}

export interface DesiredProvider extends ProviderSpec {
  readonly key: ProviderKey;
  readonly source: SourceLocation;
  /** ProviderDetails keys whose values came from a secret reference: never printed. */
  readonly secretKeys: readonly string[];
}

export interface DesiredState {
  readonly providers: readonly DesiredProvider[];
  /** Every user pool that at least one document names; only these are read, planned or pruned. */
  readonly pools: readonly PoolRef[];
}

export interface LiveProvider extends ProviderSpec {
  readonly key: ProviderKey;
  readonly creationDate?: Date | undefined;
  readonly lastModifiedDate?: Date | undefined;
}

export interface LivePool extends PoolRef {
  readonly providers: readonly LiveProvider[];
}

export interface LiveState {
  readonly pools: readonly LivePool[];
}
