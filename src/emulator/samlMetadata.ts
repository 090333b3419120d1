// The emulator's view of SAML metadata: the core's reader, with its refusals raised as the service's
// InvalidParameterException, and binding URIs for a MetadataURL that is never fetched.
import { readMetadata, type MetadataBindings } from "../core/samlMetadata.js";
import { invalidParameter } from "./errors.js";

export type { MetadataBindings };

export function parseMetadata(xml: string): MetadataBindings {
  const r = readMetadata(xml);
  if (!r.ok) throw invalidParameter(r.message);
  return r.bindings;
}

/**
 * MetadataURL is never fetched (the emulator is offline): binding URIs are derived from the URL's
 * origin, deterministically. A real service fetches it at create and update time.
 */
export function bindingsFromUrl(url: string): MetadataBindings {
  let origin = url;
  try {
    origin = new URL(url).origin;
  } catch {
    throw invalidParameter(`Unable to fetch metadata from remote metadata source ${url}`);
  }
  return { sso: `${origin}/saml/sso`, slo: `${origin}/saml/slo` };
}
