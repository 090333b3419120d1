// What Cognito takes from SAML metadata (cognito-behaviour.md §4.6): the HTTP-Redirect binding
// locations of SingleSignOnService (required) and SingleLogoutService (optional).
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { invalidParameter } from "./errors.js";

const REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";

export interface MetadataBindings {
  readonly sso: string;
  readonly slo?: string | undefined;
}

type XmlNode = { [key: string]: unknown };

function findAll(node: unknown, name: string, out: XmlNode[] = []): XmlNode[] {
  if (Array.isArray(node)) for (const n of node) findAll(n, name, out);
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node as XmlNode)) {
      if (k === name) (Array.isArray(v) ? v : [v]).forEach((x) => out.push(x as XmlNode));
      findAll(v, name, out);
    }
  }
  return out;
}

function redirectLocation(nodes: XmlNode[]): string | undefined {
  const hit = nodes.find((n) => n["@_Binding"] === REDIRECT && typeof n["@_Location"] === "string");
  return hit?.["@_Location"] as string | undefined;
}

export function parseMetadata(xml: string): MetadataBindings {
  if (xml.trim() === "" || XMLValidator.validate(xml) !== true) throw invalidParameter("Unable to unmarshall metadata");
  const doc: unknown = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, processEntities: false }).parse(xml);
  if (findAll(doc, "EntityDescriptor").length === 0) throw invalidParameter("Unable to unmarshall metadata");
  const sso = redirectLocation(findAll(doc, "SingleSignOnService"));
  if (!sso) throw invalidParameter("No SingleSignOn Http redirect binding location found in metadata.");
  return { sso, slo: redirectLocation(findAll(doc, "SingleLogoutService")) };
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
